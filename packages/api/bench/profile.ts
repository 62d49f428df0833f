/**
 * `npm run profile:chat`: where a chat turn's server CPU goes. Starts the benchmark's API
 * server (bench/server.process.ts, compiled and with production's node flags), warms it up, profiles TURNS turns with the inspector (distinct
 * students, each a first message and a follow-up), then prints self time by package: ours
 * (`@atrium/*`), each library in node_modules, Node's own internals, and garbage collection.
 * PGlite unless TEST_DATABASE_URL is set. TURNS defaults to 200.
 *
 * The fixed part of a turn (what the issue's "fixed CPU per turn" counts): `CHUNKS=1
 * FOLLOW_UPS=1` answers in one chunk and profiles only follow-ups in existing conversations (each
 * student's first question is asked before the profile starts). CHUNK_DELAY_MS (2) spaces the
 * chunks: 10 as the issue's upstream sends them.
 */
import { writeFileSync } from 'node:fs';
import { startBenchChild, startBenchServer } from './children';
import { studentClient, webSendInput, type BenchStudents } from './web-send';
import { printSelfTime } from './cpu-profile';

const TURNS = Number(process.env.TURNS ?? process.argv[2] ?? 200);
const CHUNKS = Number(process.env.CHUNKS ?? 50);
const CHUNK_DELAY_MS = Number(process.env.CHUNK_DELAY_MS ?? 2);
const FOLLOW_UPS = process.env.FOLLOW_UPS === '1';

const stub = await startBenchChild('stub.process.ts', {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: CHUNKS }, (_, i) => `w${i} `), delayMs: 20, chunkDelayMs: CHUNK_DELAY_MS } });
const server = await startBenchServer(stub.url);
const WARM_UP = 10;
const studentCount = FOLLOW_UPS ? TURNS + WARM_UP : Math.ceil((TURNS + WARM_UP) / 2);
const { tokens, presets } = (await server.call({ type: 'users', count: studentCount, prefix: 'profile' })) as BenchStudents;
const clients = tokens.map((token) => studentClient(server.url, token));
const conversations = new Map<number, string>();
let asked = 0;

/** One question from a student, the first in a new conversation or a follow-up in theirs; every question different. */
async function ask(student: number) {
  const n = asked++;
  for await (const event of await clients[student]!.chat.send.mutate(
    webSendInput(conversations.get(student) ?? null, `Question ${n}: what is ${n} squared?`, presets[student]!),
  )) {
    if (event.type === 'started') conversations.set(student, event.conversation.id);
  }
  // After-work (summaries, titles, cache writes) is part of a turn's cost: run it inside the profile.
  await server.call({ type: 'drain' });
}

/** Distinct students, each a first question and a follow-up (only the follow-up with FOLLOW_UPS). */
async function runTurns(count: number, students: number[]) {
  let turns = 0;
  for (const student of students) {
    for (let i = FOLLOW_UPS ? 1 : 0; i < 2 && turns < count; i++, turns++) await ask(student);
  }
  return turns;
}

const students = tokens.map((_, i) => i);
const [warmUp, profiled] = FOLLOW_UPS ? [students.slice(0, WARM_UP), students.slice(WARM_UP)] : [students.slice(0, WARM_UP / 2), students.slice(WARM_UP / 2)];
// With FOLLOW_UPS, every conversation is started before the profile.
if (FOLLOW_UPS) for (const student of students) await ask(student);
// Warm-up outside the profile: JIT, caches and pools as a running server has them.
await runTurns(WARM_UP, warmUp);
await server.call({ type: 'profileStart' });
const turns = await runTurns(TURNS, profiled);
const { profile: profileText } = (await server.call({ type: 'profileStop' })) as { profile: string };

await Promise.all([server.close(), stub.close()]);

// PROFILE_OUT=file.cpuprofile keeps the profile for Chrome's DevTools or speedscope.
if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, profileText);
printSelfTime(profileText, {
  units: turns,
  unit: 'turn',
  title: `Server CPU over ${turns} ${FOLLOW_UPS ? 'follow-up ' : ''}turns of ${CHUNKS} chunks (${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, after ${WARM_UP} warm-up turns; after-work included)`,
  topFunctions: Number(process.env.TOP_FUNCTIONS ?? 30),
});
process.exit(0);
