import { fileURLToPath } from 'node:url';
import { atriumProject } from '../../tooling/vitest/config';

// The browser tests: a real server on the built app and a fresh database, driven by Chromium.
export default atriumProject({
  include: ['e2e/**/*.e2e.test.ts'],
  exclude: ['**/node_modules/**', '**/build/**'],
  // Each browser file in its own module graph: the app servers keep process-wide hooks.
  isolate: true,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  globalSetup: [
    fileURLToPath(new URL('../../tooling/vitest/pglite-image.ts', import.meta.url)),
    fileURLToPath(new URL('../../tooling/vitest/build-app.ts', import.meta.url)),
    fileURLToPath(new URL('../../tooling/vitest/build-admin-app.ts', import.meta.url)),
  ],
  // A busy 2-core machine: give the page time, the assertions stay the same.
  expect: { poll: { timeout: 20_000, interval: 100 } },
});
