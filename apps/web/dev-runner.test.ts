/**
 * `npm run dev` (the repo's scripts/dev.ts, which serves this app) is npm → sh → tsx → node. An
 * editor or a test runner that kills npm with SIGKILL sends nothing down that chain; the dev
 * process must notice and stop with everything it started, freeing its ports.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openOrm } from '@atrium/db';
import { createPostgresDatabase, migratedPgliteTarget } from '@atrium/db/testing';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every process below `pid`, from /proc. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, of] of parents) {
      if (of !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};

const accepts = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * A migrated PostgreSQL database of the test's own when TEST_DATABASE_URL is set, else the
 * embedded default: PGlite in a folder of the test's own, laid from the tests' migrated image
 * (migrating an empty PGlite in WASM is most of a minute on a busy machine).
 */
async function databaseEnv(): Promise<NodeJS.ProcessEnv> {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  if (!process.env.TEST_DATABASE_URL) {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-dev-'));
    const orm = await openOrm({ ...(await migratedPgliteTarget()), dataDir: join(dataDir, 'pglite') });
    await orm.close(true);
    return { ...rest, ATRIUM_DATA_DIR: dataDir };
  }
  const database = await createPostgresDatabase();
  dropDatabase = database.drop;
  const orm = await openOrm(database.target);
  await migrate(orm);
  await orm.close(true);
  return { ...rest, DATABASE_URL: database.url };
}

let dataDir: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let group: number | undefined;
afterAll(async () => {
  // Whatever a failed run left behind.
  if (group) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Already gone: the point of the test.
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await dropDatabase?.();
});

it.runIf(process.platform === 'linux')('stops with every process it started, freeing its ports, when npm is killed with SIGKILL', async () => {
  const env = await databaseEnv();
  const npm = spawn('npm', ['run', 'dev'], {
    cwd: root,
    // A process group of its own, so the clean-up above can reach anything left.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, WEB_PORT: '0', ADMIN_PORT: '0', DEMO_LLM_PORT: '0', LOG_FORMAT: 'json', NODE_ENV: 'development' },
  });
  group = npm.pid!;
  let output = '';
  npm.stderr!.on('data', (chunk) => void (output += String(chunk)));
  const urls = await new Promise<{ web: string; admin: string }>((resolve, reject) => {
    npm.stdout!.on('data', (chunk) => {
      output += String(chunk);
      for (const line of output.split('\n')) {
        if (!line.includes('Atrium is running')) continue;
        const { web, admin } = JSON.parse(line) as { web: string; admin: string };
        resolve({ web, admin });
      }
    });
    npm.once('exit', (code) => reject(new Error(`npm run dev exited (${code}) before it was running:\n${output}`)));
    // Fail with what the dev process printed rather than as a bare test time-out.
    setTimeout(() => reject(new Error(`npm run dev was not running after 90 s:\n${output}`)), 90_000).unref();
  });
  expect(await accepts(urls.web)).toBe(true);
  const tree = descendantsOf(npm.pid!);
  expect(tree.length).toBeGreaterThanOrEqual(2);

  process.kill(npm.pid!, 'SIGKILL');

  // The dev process notices within a second and shuts down gracefully.
  await expect.poll(() => tree.filter(alive), { timeout: 20_000, interval: 200 }).toEqual([]);
  expect(await accepts(urls.web)).toBe(false);
  expect(await accepts(urls.admin)).toBe(false);
  expect(output).toContain('a parent process is gone: stopping');
}, 120_000);
