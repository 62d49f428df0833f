/**
 * Benchmark: admin usage analytics over a year of data (365 days × 400 users × 2 models),
 * through the router (usage.admin.analytics) against the very same SQL statement run directly,
 * interleaved in one run. On PostgreSQL when TEST_DATABASE_URL is set, else PGlite. Writes
 * bench/results/analytics.json at the repository root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { seed } from '@atrium/db';
import { createTestDatabase } from '@atrium/db/testing';
import { createContextInner } from '../src/context';
import { createCaller } from '../src/root';
import { usageAnalyticsSql } from '../src/routers/usage/usage.service';

/**
 * Router and direct SQL alternate, each aggregate taking 0.1–0.3 s of PostgreSQL's time against
 * well under a millisecond of the router's: 12 pairs put the ratio within a few percent (30 read
 * the same, 0.95–1.01, in 75 s instead of ~35).
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 12);
const USERS = 400;
const kind = process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite';
const db = await createTestDatabase(kind);
await seed(db.orm.em.fork(), { hashPassword });
const { user: admin } = await makeLocalUser(db.orm.em.fork(), { role: 'admin' });

const em = db.orm.em.fork();
// A year of ledger rows, generated in the database itself.
await em.execute(
  `insert into users (id, username, display_name, role, created_at, updated_at)
   select gen_random_uuid(), 'bench-user-' || n, 'Bench user ' || n, case when n % 10 = 0 then 'staff' else 'student' end, now(), now()
   from generate_series(1, ?) as n`,
  [USERS],
);
await em.execute(
  `insert into usage_daily (id, user_id, date, model, provider, requests, cache_hits, prompt_tokens, completion_tokens, cost_micros)
   select gen_random_uuid(), u.id, d::date, m.model, 'demo', 1 + (random() * 20)::int, (random() * 3)::int,
          (random() * 20000)::int, (random() * 8000)::int, (random() * 50000)::int
   from (select id from users where username like 'bench-user-%') u
   cross join generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d
   cross join (values ('demo'), ('groq-llama-3.3-70b')) as m(model)`,
);
await em.execute('analyze usage_daily');
const rows = Number((await em.execute<{ n: string }[]>('select count(*) as n from usage_daily'))[0]!.n);

const caller = createCaller(createContextInner({ em: db.orm.em.fork(), user: admin }));
const groupings = ['day', 'model', 'role', 'user'] as const;

const time = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

const results: Record<string, unknown> = {};
for (const groupBy of groupings) {
  const viaRouter: number[] = [];
  const direct: number[] = [];
  const range = { from: '2026-01-01', to: '2026-12-31' };
  for (let i = 0; i < ITERATIONS + 3; i++) {
    const a = await time(() => caller.usage.admin.analytics({ ...range, groupBy }));
    // The same statement the service runs, without the API around it: the ratio is our overhead.
    const b = await time(() => db.orm.em.fork().execute(usageAnalyticsSql(groupBy), [range.from, range.to, 366]));
    if (i >= 3) {
      viaRouter.push(a);
      direct.push(b);
    }
  }
  results[groupBy] = {
    router: { p50: percentile(viaRouter, 50), p90: percentile(viaRouter, 90) },
    directSql: { p50: percentile(direct, 50), p90: percentile(direct, 90) },
    ratioP50: percentile(viaRouter, 50) / percentile(direct, 50),
  };
}

const report = {
  benchmark: 'usage analytics over a year: usage.admin.analytics vs the direct SQL aggregate',
  database: kind,
  rows,
  iterations: ITERATIONS,
  results,
  node: process.version,
  at: new Date().toISOString(),
};
const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}analytics.json`, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
await db.close();
