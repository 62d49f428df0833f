import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../../../tooling/start-server.sh', import.meta.url));

/**
 * The flags production starts node with for this kind of database: those tooling/start-server.sh
 * picks, which the apps' `start` scripts (so the Dockerfile and docker-compose) and infra/k8s run
 * (infra.test.ts holds them to it). The benchmarks start Atrium's server with the same ones, so
 * what they measure is what production runs (docs/decisions/113 and 191 say why each is there).
 * BENCH_SERVER_NODE_FLAGS replaces them, to measure what a flag costs or saves.
 */
export function productionNodeFlags(database: 'pglite' | 'postgresql'): string[] {
  if (process.env.BENCH_SERVER_NODE_FLAGS !== undefined) return process.env.BENCH_SERVER_NODE_FLAGS.split(' ').filter(Boolean);
  // The launcher decides by DATABASE_URL alone, as packages/db does; the URL is never opened.
  const DATABASE_URL = database === 'postgresql' ? 'postgres://bench@127.0.0.1/bench' : '';
  const printed = execFileSync('sh', [launcher, '--print-flags'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL } });
  return printed.split(/\s+/).filter(Boolean);
}
