/**
 * The bench's own processes (`server.process.ts`, `stub.process.ts`), forked with an IPC channel:
 * `call` sends a command and resolves with the reply carrying its id; `close` asks the process to
 * stop and waits until it has. `benchScript` says how to start one: Atrium's server processes
 * compiled as production compiles the apps' servers, the others through tsx.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '@atrium/db/testing';
import { productionNodeFlags } from './production-flags';

const here = fileURLToPath(new URL('.', import.meta.url));
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(packageRoot, 'node_modules/.cache');
const prefix = 'atrium-bench-';

/**
 * The processes that run Atrium's own code, whose CPU and memory the benches measure: compiled
 * with tooling/build-server.mjs (the apps' production build: our packages compiled in, libraries
 * left external, source maps) and run by node on the JavaScript, as production runs. Through tsx
 * they would run esbuild's output instead (`__name` wrappers for every function, other
 * down-levelling) and pay the transpiler's module hooks.
 */
const compiledScripts = new Set(['server.process.ts', 'files.process.ts']);
const compiled = new Map<string, Promise<string>>();

/** The module to fork for a bench script and the node flags it needs on top of `nodeFlags`. */
export async function benchScript(script: string, nodeFlags: string[] = []): Promise<{ modulePath: string; execArgv: string[] }> {
  if (!compiledScripts.has(script)) return { modulePath: join(here, script), execArgv: [...nodeFlags, '--import', 'tsx'] };
  let output = compiled.get(script);
  if (!output) compiled.set(script, (output = compile(script)));
  return { modulePath: await output, execArgv: nodeFlags };
}

/**
 * Compiles `script` once per bench process, under this package's node_modules so the libraries
 * resolve as they do from the sources; removed on exit (or, when the bench was killed, by the
 * next one). The build runs in a process of its own: vite's garbage stays out of the bench
 * process, whose CPU is the direct client's figure.
 */
async function compile(script: string): Promise<string> {
  removeOrphans();
  const ours = join(cacheDir, `${prefix}${process.pid}`);
  process.once('exit', () => rmSync(ours, { recursive: true, force: true }));
  const outDir = join(ours, script.replace(/\.ts$/, ''));
  const builder = spawn(process.execPath, [join(packageRoot, '../../tooling/build-server.mjs'), join('bench', script), outDir], {
    cwd: packageRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise((resolve, reject) => builder.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`compiling ${script} exited with ${code}`);
  return join(outDir, script.replace(/\.ts$/, '.js'));
}

/** A bench that was killed leaves its compiled processes behind: removed by the next one. */
function removeOrphans() {
  let entries: string[];
  try {
    entries = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const entry of entries.filter((name) => name.startsWith(prefix))) {
    try {
      process.kill(Number(entry.slice(prefix.length)), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(cacheDir, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Forks a bench script with the bench's environment on top of the caller's (whose own database
 * and log settings are left out). Atrium's server processes log as production logs: every request
 * a JSON line on stdout at production's level. Those lines go to a file rather than the bench's
 * terminal, so writing them still costs what it costs in production; the file is removed when the
 * bench ends well and its path printed when it does not.
 */
export async function forkBenchChild(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ChildProcess> {
  const { DATABASE_URL: _database, LOG_LEVEL: _level, LOG_FORMAT: _format, ...inherited } = process.env;
  const { modulePath, execArgv } = await benchScript(script, nodeFlags);
  let stdout: 'inherit' | number = 'inherit';
  if (compiledScripts.has(script)) {
    const logDir = join(cacheDir, 'atrium-bench-logs');
    mkdirSync(logDir, { recursive: true });
    const log = join(logDir, `${script.replace(/\.ts$/, '')}-${process.pid}-${logs++}.log`);
    stdout = openSync(log, 'w');
    process.once('exit', (code) => {
      if (code === 0) rmSync(log, { force: true });
      else console.error(`${script}'s log (stdout): ${log}`);
    });
  }
  const child = fork(modulePath, [], { execArgv, env: { ...inherited, ...env }, stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  if (typeof stdout === 'number') closeSync(stdout); // the child has its own copy
  return child;
}
let logs = 0;

export type BenchChild = {
  child: ChildProcess;
  url: string;
  call<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
};

export async function startBenchChild(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<BenchChild> {
  const child = await forkBenchChild(script, env, nodeFlags);
  let id = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string; id?: number }) => {
      if (!message.ready) return waiting.get(message.id!)?.(message);
      resolve({
        child,
        url: message.url!,
        call: <T>(body: Record<string, unknown>) => new Promise<T>((done) => (waiting.set(++id, done as (value: unknown) => void), child.send({ ...body, id }))),
        async close() {
          // Drop the "exited early" rejection above before asking for the exit.
          child.removeAllListeners('exit');
          const exited = new Promise((done) => child.once('exit', done));
          child.send({ type: 'close', id: 0 });
          await exited;
        },
      });
    });
  });
}

/**
 * The bench's Atrium server (`server.process.ts`) on a database of its own, with production's node
 * flags for it: a new PostgreSQL database when TEST_DATABASE_URL is set (unless `pglite` asks for
 * the embedded one), else PGlite in a temporary folder. `close` stops it and removes the database.
 */
export async function startBenchServer(upstreamUrl: string, options: { pglite?: boolean } = {}): Promise<BenchChild & { database: 'postgresql' | 'pglite' }> {
  const pg = process.env.TEST_DATABASE_URL && !options.pglite ? await createPostgresDatabase() : null;
  const dataDir = pg ? null : mkdtempSync(join(tmpdir(), 'atrium-bench-db-'));
  const database = pg ? 'postgresql' : 'pglite';
  const server = await startBenchChild(
    'server.process.ts',
    { NODE_ENV: 'production', BENCH_TARGET: JSON.stringify(pg ? pg.target : { kind: 'pglite', dataDir }), DEMO_LLM_BASE_URL: upstreamUrl },
    productionNodeFlags(database),
  );
  return {
    ...server,
    database,
    async close() {
      await server.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await pg?.drop();
    },
  };
}
