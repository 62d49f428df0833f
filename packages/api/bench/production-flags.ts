import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The flags production starts node with: apps/web's `start` script, which the Dockerfile and
 * docker-compose run and infra/k8s repeats (infra.test.ts holds them to it). The benchmarks start
 * Atrium's server with the same ones, so what they measure is what production runs
 * (docs/decisions/113 says why each is there). BENCH_SERVER_NODE_FLAGS replaces them, to
 * measure what a flag costs or saves.
 */
export function productionNodeFlags(): string[] {
  if (process.env.BENCH_SERVER_NODE_FLAGS !== undefined) return process.env.BENCH_SERVER_NODE_FLAGS.split(' ').filter(Boolean);
  const manifest = fileURLToPath(new URL('../../../apps/web/package.json', import.meta.url));
  const { scripts } = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((word) => word.startsWith('--'));
}
