/**
 * `npm run profile:chat`: where a chat turn's server CPU goes. Starts the benchmark's API
 * server (bench/server.process.ts, compiled and with production's node flags), warms it up, profiles TURNS turns with the inspector (distinct
 * students, each a first message and a follow-up), then prints self time by package: ours
 * (`@atrium/*`), each library in node_modules, Node's own internals, and garbage collection.
 * PGlite unless TEST_DATABASE_URL is set. TURNS defaults to 200.
 */
import { writeFileSync } from 'node:fs';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../src/root';
import { startBenchChild, startBenchServer } from './children';
import { webSendInput, type BenchStudents } from './web-send';
import { printSelfTime } from './cpu-profile';

const TURNS = Number(process.env.TURNS ?? process.argv[2] ?? 200);

const stub = await startBenchChild('stub.process.ts', {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 20, chunkDelayMs: 2 } });
const server = await startBenchServer(stub.url);
const WARM_UP = 10;
const { tokens, presets } = (await server.call({ type: 'users', count: Math.ceil((TURNS + WARM_UP) / 2), prefix: 'profile' })) as BenchStudents;

/** Distinct students, each a first message and a follow-up, every question different. */
async function runTurns(count: number, students: number[], first: number) {
  let turns = 0;
  for (const student of students) {
    const token = tokens[student]!;
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
    });
    let conversationId: string | null = null;
    for (let i = 0; i < 2 && turns < count; i++, turns++) {
      const n = first + turns;
      for await (const event of await client.chat.send.mutate(webSendInput(conversationId, `Question ${n}: what is ${n} squared?`, presets[student]!))) {
        if (event.type === 'started') conversationId = event.conversation.id;
      }
      // After-work (summaries, titles, cache writes) is part of a turn's cost: run it inside the profile.
      await server.call({ type: 'drain' });
    }
  }
  return turns;
}

// Warm-up outside the profile: JIT, caches and pools as a running server has them.
const students = tokens.map((_, i) => i);
await runTurns(WARM_UP, students.slice(0, WARM_UP / 2), 0);
await server.call({ type: 'profileStart' });
const turns = await runTurns(TURNS, students.slice(WARM_UP / 2), WARM_UP);
const { profile: profileText } = (await server.call({ type: 'profileStop' })) as { profile: string };

await Promise.all([server.close(), stub.close()]);

// PROFILE_OUT=file.cpuprofile keeps the profile for Chrome's DevTools or speedscope.
if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, profileText);
printSelfTime(profileText, {
  units: turns,
  unit: 'turn',
  title: `Server CPU over ${turns} turns (${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, after ${WARM_UP} warm-up turns; after-work included)`,
  topFunctions: Number(process.env.TOP_FUNCTIONS ?? 30),
});
process.exit(0);
