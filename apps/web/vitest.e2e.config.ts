import { atriumProject } from '../../tooling/vitest/config';

// The browser tests: a real server (Vite dev mode) on a fresh database, driven by Chromium.
export default atriumProject({
  include: ['e2e/**/*.e2e.test.ts'],
  exclude: ['**/node_modules/**', '**/build/**'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // A cold Vite cache on a busy 2-core machine: give the page time, the assertions stay the same.
  expect: { poll: { timeout: 20_000, interval: 100 } },
});
