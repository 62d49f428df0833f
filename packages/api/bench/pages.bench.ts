/**
 * `npm run bench:pages -w @atrium/api`: the pages part of the chat benchmark on its own
 * (bench/pages.ts says what is measured), for working on the page procedures. The server runs
 * in its own process with production's flags. PostgreSQL when TEST_DATABASE_URL is set, else
 * PGlite (`BENCH_DATABASE=pglite` forces it). `PAGES_SIZES=1000,100000` (default 1000),
 * `PAGES_SAMPLES=100`, `PAGES_WARMUP=300` (untimed requests per case first); `PAGES_EXPLAIN=1` prints each page statement's plan; `PROFILE=1` then profiles as many requests again per case and prints the
 * server's self time per request by package and function (`PROFILE_OUT=name` also keeps each
 * case's profile as `name.<case>.cpuprofile`).
 */
import { writeFileSync } from 'node:fs';
import { startBenchServer } from './children';
import { printSelfTime } from './cpu-profile';
import { measurePages } from './pages';

const sizes = (process.env.PAGES_SIZES ?? '1000').split(',').map(Number);
const samples = Number(process.env.PAGES_SAMPLES ?? 100);
// No turn is sent: the upstream is never called.
const server = await startBenchServer('http://127.0.0.1:9', { pglite: process.env.BENCH_DATABASE === 'pglite' });
try {
  const pages = await measurePages(server, {
    sizes,
    samples,
    warmUp: Number(process.env.PAGES_WARMUP ?? 300),
    explain: process.env.PAGES_EXPLAIN === '1',
    profile:
      process.env.PROFILE === '1'
        ? async (name, requests, run) => {
            await server.call({ type: 'profileStart' });
            await run();
            const { profile } = await server.call<{ profile: string }>({ type: 'profileStop' });
            if (process.env.PROFILE_OUT) writeFileSync(`${process.env.PROFILE_OUT}.${name}.cpuprofile`, profile);
            printSelfTime(profile, { units: requests, unit: 'request', title: `Server CPU, ${name}`, topFunctions: Number(process.env.TOP_FUNCTIONS ?? 25) });
          }
        : undefined,
  });
  console.log(`pages on ${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}`);
  for (const [name, figure] of Object.entries(pages)) {
    console.log(
      `${name.padEnd(26)} http p50 ${figure.httpMs.p50.toFixed(2).padStart(6)}  sql p50 ${figure.sqlMs.p50.toFixed(2).padStart(6)}  http-sql ${figure.httpMinusSqlP50Ms.toFixed(2).padStart(6)} ms  server cpu ${figure.serverCpuMsPerRequest.toFixed(2).padStart(5)} ms  statements ${figure.statementsPerRequest}`,
    );
  }
  if (process.env.PAGES_STATEMENTS === '1') console.log(JSON.stringify(Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.statements])), null, 2));
} finally {
  await server.close();
}
process.exit(0);
