import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/** The test settings every package shares; real databases and servers need generous timeouts. */
export function atriumProject(overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    test: {
      setupFiles: [fileURLToPath(new URL('./setup.ts', import.meta.url))],
      globalSetup: [fileURLToPath(new URL('./pglite-image.ts', import.meta.url))],
      // One worker per package on a 2-core machine, so files run one after another: sharing the
      // module graph between them saves importing the ORM, the AI SDK and the routers per file
      // (a quarter of the API package's time). Every file opens its own databases and servers.
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Polls wait for background work (titles, summaries) on a busy 2-core machine; they still fail when it never happens.
      expect: { poll: { timeout: 15_000, interval: 50 } },
      exclude: ['**/node_modules/**', '**/e2e/**', '**/build/**'],
      ...overrides,
    },
  });
}
