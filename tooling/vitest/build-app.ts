/**
 * Vitest global set-up for the browser tests: builds the app (`remix vite:build`, as
 * `npm run build` does) once before any file runs, so every test file serves the production bundle.
 * Vite's development server would transform hundreds of modules again for each file's first page,
 * which on a busy 2-core machine took longer than the assertions' patience; the built app is also
 * what students get.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default async function buildApp(project: TestProject) {
  await buildRemixApp(project.config.root);
}

/** `remix vite:build` in `appDir`, into `buildDirectory` (relative to it) when given. */
export async function buildRemixApp(appDir: string, buildDirectory?: string) {
  const remixPackage = createRequire(join(appDir, 'package.json')).resolve('@remix-run/dev/package.json');
  const remixCli = join(dirname(remixPackage), 'dist/cli.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [remixCli, 'vite:build', '--logLevel', 'warn'], {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production', ...(buildDirectory ? { REMIX_BUILD_DIRECTORY: buildDirectory } : {}) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`remix vite:build exited with ${code}`))));
  });
}
