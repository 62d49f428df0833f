import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/** The test settings every package shares; real databases and servers need generous timeouts. */
export function atriumProject(overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    test: {
      setupFiles: [fileURLToPath(new URL('./setup.ts', import.meta.url))],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      exclude: ['**/node_modules/**', '**/e2e/**', '**/build/**'],
      ...overrides,
    },
  });
}
