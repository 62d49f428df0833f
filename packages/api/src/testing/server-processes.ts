import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@atrium/db';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

let compiled: Promise<string[]> | undefined;

/**
 * The Node arguments that run a bare API server (serve.ts). It is compiled once per test process,
 * as production compiles the app servers (tooling/build-server.mjs: our packages compiled in,
 * libraries left external), instead of each process transpiling ~200 modules through tsx at start:
 * a start cost 4.5 CPU-s with tsx and 1.9 compiled, and the race, replica and shutdown tests start
 * about twenty servers; the compile costs ~3.7 CPU-s once. The output sits under this package's
 * node_modules so the libraries resolve as they do from the sources, and is removed on exit
 * (or, when the test process was killed, by the next one).
 */
export function serverProcessArgs(): Promise<string[]> {
  compiled ??= (async () => {
    const { build } = await import('vite');
    const cacheDir = fileURLToPath(new URL('../../node_modules/.cache', import.meta.url));
    removeOrphans(cacheDir);
    const outDir = `${cacheDir}/${prefix}${process.pid}`;
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      root: packageRoot,
      build: {
        ssr: fileURLToPath(new URL('../server/serve.ts', import.meta.url)),
        outDir,
        emptyOutDir: true,
        target: 'node24',
        minify: false,
        sourcemap: true,
        rollupOptions: {
          output: { entryFileNames: 'serve.js', format: 'es' },
          external: (id) => builtins.has(id) || (!id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@atrium/') && !id.startsWith('\0')),
        },
      },
      ssr: { noExternal: [/^@atrium\//] },
    });
    return ['--enable-source-maps', `${outDir}/serve.js`];
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

const prefix = 'atrium-test-server-';

/** A test process that was killed leaves its compiled server behind: removed by the next one. */
function removeOrphans(cacheDir: string) {
  const entries = (() => {
    try {
      return readdirSync(cacheDir);
    } catch {
      return [];
    }
  })();
  for (const entry of entries.filter((name) => name.startsWith(prefix))) {
    const pid = Number(entry.slice(prefix.length));
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(`${cacheDir}/${entry}`, { recursive: true, force: true });
    }
  }
}

export type ServerProcess = {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout so far (its log lines). */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** Test support: one bare API server process (serve.ts) with its own environment; resolves once it listens. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, await serverProcessArgs(), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // The listener stays: a chatty child never blocks on a full pipe.
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before listening: ${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * Test support: a killed server's running job as it stands once the job kind's `heartbeatSeconds`
 * have passed since its last heartbeat (pg-boss's clock, `job_now()`), so the next server's
 * supervision fails it, and with its retry due at once rather than after the kind's retry delay
 * (5 s and more with backoff for an extraction). Waiting either out held a test worker for 10–30 s
 * and proved nothing more: the dead process beats no more either way.
 */
export async function lapseHeartbeat(em: EntityManager, jobName: string, dataKey: string, dataValue: string) {
  await em.execute(
    `update pgboss.job set heartbeat_on = pgboss.job_now() - (heartbeat_seconds + 1) * interval '1 second', retry_delay = 0, retry_backoff = false
     where name = ? and state = 'active' and data->>? = ?`,
    [jobName, dataKey, dataValue],
  );
}
