/**
 * Vitest global set-up for the web app's browser tests that also open the admin app (identity:
 * an administrator invites, then bans): builds the admin app once, into a folder of its own, so
 * those tests serve its production bundle. Through Vite's development server its first page
 * transformed hundreds of modules inside a test, past the page's time limit on a busy machine;
 * and the admin's own browser tests may be rebuilding its usual build/ at the same moment.
 */
import { fileURLToPath } from 'node:url';
import { buildRemixApp } from './build-app';

/** The admin app's build for the web app's tests, relative to apps/admin (git ignores .cache/). */
export const ADMIN_BUILD_FOR_WEB_TESTS = '.cache/web-e2e-build';

export default async function buildAdminApp() {
  await buildRemixApp(fileURLToPath(new URL('../../apps/admin', import.meta.url)), ADMIN_BUILD_FOR_WEB_TESTS);
}
