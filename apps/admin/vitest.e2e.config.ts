import { fileURLToPath } from 'node:url';
import { atriumProject } from '../../tooling/vitest/config';

// The browser tests: a real server on the built app and a fresh database, driven by Chromium.
export default atriumProject({
  include: ['e2e/**/*.e2e.test.ts'],
  exclude: ['**/node_modules/**', '**/build/**'],
  // The files share one worker's module graph, as the unit tests do (tooling/vitest/config.ts):
  // a fresh process per file re-imported the API, the ORM and the server build and ran PGlite's
  // and pg-boss's start cold, ~4 CPU-s a file. Each file still opens its own database, server
  // and browser. (The process-wide hooks that once needed isolation are Vite's development
  // server's; these tests serve production builds.)
  testTimeout: 60_000,
  hookTimeout: 120_000,
  globalSetup: [fileURLToPath(new URL('../../tooling/vitest/pglite-image.ts', import.meta.url)), fileURLToPath(new URL('../../tooling/vitest/build-app.ts', import.meta.url))],
  // A busy 2-core machine: give the page time, the assertions stay the same.
  expect: { poll: { timeout: 20_000, interval: 100 } },
});
