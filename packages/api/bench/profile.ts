/**
 * `npm run profile:chat`: where a chat turn's server CPU goes. Starts the benchmark's API
 * server (bench/server.process.ts), warms it up, profiles TURNS turns with the inspector (distinct
 * students, each a first message and a follow-up), then prints self time by package: ours
 * (`@atrium/*`), each library in node_modules, Node's own internals, and garbage collection.
 * PGlite unless TEST_DATABASE_URL is set. TURNS defaults to 200.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '@atrium/db/testing';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../src/root';
import { startBenchChild } from './children';

const TURNS = Number(process.env.TURNS ?? process.argv[2] ?? 200);
const dataDir = mkdtempSync(join(tmpdir(), 'atrium-profile-db-'));
const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : null;

const stub = await startBenchChild('stub.process.ts', {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 20, chunkDelayMs: 2 } });
const server = await startBenchChild('server.process.ts', {
  NODE_ENV: 'production',
  BENCH_TARGET: JSON.stringify(pg ? pg.target : { kind: 'pglite', dataDir }),
  DEMO_LLM_BASE_URL: stub.url,
});
const WARM_UP = 10;
const { tokens } = (await server.call({ type: 'users', count: Math.ceil((TURNS + WARM_UP) / 2), prefix: 'profile' })) as { tokens: string[] };

/** Distinct students, each a first message and a follow-up, every question different. */
async function runTurns(count: number, students: string[], first: number) {
  let turns = 0;
  for (const token of students) {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
    });
    let conversationId: string | null = null;
    for (let i = 0; i < 2 && turns < count; i++, turns++) {
      const n = first + turns;
      for await (const event of await client.chat.send.mutate({ conversationId, content: `Question ${n}: what is ${n} squared?`, modelId: 'demo' })) {
        if (event.type === 'started') conversationId = event.conversation.id;
      }
      // After-work (summaries, titles, cache writes) is part of a turn's cost: run it inside the profile.
      await server.call({ type: 'drain' });
    }
  }
  return turns;
}

// Warm-up outside the profile: JIT, caches and pools as a running server has them.
await runTurns(WARM_UP, tokens.slice(0, WARM_UP / 2), 0);
await server.call({ type: 'profileStart' });
const turns = await runTurns(TURNS, tokens.slice(WARM_UP / 2), WARM_UP);
const { profile: profileText } = (await server.call({ type: 'profileStop' })) as { profile: string };

await Promise.all([server.close(), stub.close()]);

type Node = { id: number; callFrame: { url: string; functionName: string }; hitCount?: number };
// PROFILE_OUT=file.cpuprofile keeps the profile for Chrome's DevTools or speedscope.
if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, profileText);
const profile = JSON.parse(profileText) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const where = packageOf(byNode.get(id)!);
  selfMicros.set(where, (selfMicros.get(where) ?? 0) + (profile.timeDeltas[index] ?? 0));
});

function packageOf(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(idle)' || functionName === '(program)' ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = /\/packages\/([^/]+)\//.exec(url);
  return ours ? `@atrium/${ours[1]}` : url;
}

const busy = [...selfMicros].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]);
const total = busy.reduce((sum, [, micros]) => sum + micros, 0);
console.log(`Server CPU over ${turns} turns (${pg ? 'PostgreSQL' : 'PGlite'}): ${(total / 1000).toFixed(0)} ms, ${(total / 1000 / turns).toFixed(2)} ms per turn (after ${WARM_UP} warm-up turns; after-work included)`);
console.log('self time by package:');
for (const [name, micros] of busy.slice(0, 25)) {
  console.log(`  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000 / turns).toFixed(3).padStart(8)} ms/turn  ${name}`);
}
// The functions with the most self time, so a package's share can be traced to its callers' code.
const byFunction = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const node = byNode.get(id)!;
  const where = packageOf(node);
  if (where === '(idle)') return;
  const { functionName, url } = node.callFrame;
  const key = `${functionName || '(anonymous)'}  ${where}${url && !url.includes('/node_modules/') ? ' ' + url.replace(/^.*\/packages\//, '') : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
console.log('self time by function:');
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP_FUNCTIONS ?? 30))) {
  console.log(`  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000 / turns).toFixed(3).padStart(8)} ms/turn  ${name}`);
}
rmSync(dataDir, { recursive: true, force: true });
await pg?.drop();
process.exit(0);
