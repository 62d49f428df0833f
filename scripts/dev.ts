/**
 * `npm run dev`: the whole product in one process on its embedded defaults: PGlite under
 * .data/, the offline Demo model, and both apps. One process, because PGlite is single-process.
 */
import { readFileSync } from 'node:fs';
import { createApiRuntime, logger, stopOnSignals } from '@atrium/api/server';
import { startStubUpstream } from '@atrium/testing/stub';
import { createAppServer as createAdminServer } from '../apps/admin/server';
import { createAppServer as createWebServer } from '../apps/web/server';

const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
const ADMIN_PORT = Number(process.env.ADMIN_PORT ?? 3001);
const DEMO_PORT = Number(process.env.DEMO_LLM_PORT ?? 3100);

const demo = process.env.DEMO_LLM_BASE_URL ? null : await startStubUpstream({ port: DEMO_PORT, demo: true });
if (demo) process.env.DEMO_LLM_BASE_URL = demo.url;

const runtime = await createApiRuntime({ migrate: true, seed: true });
const web = await createWebServer({ runtime, mode: 'development', port: WEB_PORT });
const admin = await createAdminServer({ runtime, mode: 'development', port: ADMIN_PORT });

logger.info(
  { web: web.url, admin: admin.url, demo: demo?.url ?? null, database: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (.data/)' },
  `Atrium is running: web ${web.url}, admin ${admin.url}`,
);

stopOnSignals(runtime, [web, admin], { beforeClose: async () => demo?.close() });
stopWhenOrphaned();

/**
 * `npm run dev` is npm → sh → tsx → this process. Killing npm (kill -9 by an editor or a test
 * runner) sends nothing down that chain, and this process would keep the ports. So it watches
 * every process above it and shuts down gracefully once one of them is gone.
 */
function stopWhenOrphaned() {
  const ancestors = ancestorsOf(process.pid);
  const timer = setInterval(() => {
    // A dead parent's children are handed to init (the chain changes), unless it is a zombie not yet reaped.
    const chain = ancestorsOf(process.pid);
    if (chain.join() !== ancestors.join() || !ancestors.every(isRunning)) {
      clearInterval(timer);
      logger.info({ ancestors }, 'a parent process is gone: stopping');
      process.kill(process.pid, 'SIGTERM');
    }
  }, 500);
  timer.unref();
}

/** Parent, grandparent, … below init, from /proc (Linux); elsewhere just the parent. */
function ancestorsOf(pid: number): number[] {
  const chain: number[] = [];
  for (let current = parentOf(pid); current !== null && current > 1; current = parentOf(current)) chain.push(current);
  return chain.length > 0 ? chain : [process.ppid];
}

function parentOf(pid: number): number | null {
  if (pid === process.pid && process.platform !== 'linux') return process.ppid;
  const stat = procStat(pid);
  return stat ? Number(stat[1]) : null;
}

/** `[state, ppid]` from /proc/<pid>/stat (the name in parentheses may itself contain spaces). */
function procStat(pid: number): [string, string] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return state && ppid ? [state, ppid] : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (process.platform === 'linux') {
    const stat = procStat(pid);
    // A killed parent not yet reaped is a zombie: gone all the same.
    return stat !== null && stat[0] !== 'Z' && stat[0] !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
