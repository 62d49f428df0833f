/**
 * `npm run bench:cpu-turn`: the server's CPU for one chat turn, from its own counters
 * (process.cpuUsage over IPC), without the rest of `npm run bench`. For a before/after of one
 * change: TURNS students each ask a first question (not measured), then a follow-up in the same
 * conversation with CHUNKS chunks and no upstream delay (measured: the turn, then its after-work
 * jobs apart). Prints the median and mean per turn (and of it the kernel's, from the same counters), and the turn's write syscalls by where they
 * go (bench/server.process.ts counts them). PostgreSQL when TEST_DATABASE_URL is set, else
 * PGlite. Run it with CHUNKS=50 and CHUNKS=400 to split fixed and per-chunk cost. WARM_UP
 * students (10) ask first, unmeasured: with 300 the server is measured warm, as a production
 * process is after its first few hundred questions. CHUNK_DELAY_MS spaces the chunks (after a
 * first token at 20 ms) as a real upstream does, where each chunk is a socket read of its own.
 */
import { startBenchChild, startBenchServer } from './children';
import { askAsStudent, type BenchStudents } from './web-send';

const TURNS = Number(process.env.TURNS ?? 40);
const CHUNKS = Number(process.env.CHUNKS ?? 50);

const stub = await startBenchChild('stub.process.ts', {});
const spaced = process.env.CHUNK_DELAY_MS ? { delayMs: 20, chunkDelayMs: Number(process.env.CHUNK_DELAY_MS) } : {};
await stub.call({ type: 'reply', reply: { text: Array.from({ length: CHUNKS }, (_, i) => `w${i} `), ...spaced } });
const server = await startBenchServer(stub.url);
type Writes = { client: number; postgresql: number; upstream: number; other: number; stdout: number };
type Stats = { cpuMicros: number; systemMicros: number; statements: number; writes: Writes };
const stats = () => server.call<Stats>({ type: 'stats' });
const drain = () => server.call({ type: 'drain' });

const WARM_UP = Number(process.env.WARM_UP ?? 10);
const { tokens, presets } = await server.call<BenchStudents>({ type: 'users', count: TURNS + WARM_UP, prefix: 'cpu' });

const turnCpu: number[] = [];
const turnSystem: number[] = [];
const afterCpu: number[] = [];
/** A new conversation's after-work: its title and its answer kept in the cache. */
const firstAfterCpu: number[] = [];
/** A new conversation's first turn itself. */
const firstTurnCpu: number[] = [];
const statements: number[] = [];
/** Per turn, the server's write syscalls by destination (the turn alone, not its after-work). */
const turnWrites: Writes[] = [];
for (const [i, token] of tokens.entries()) {
  const start = await stats();
  const conversationId = await askAsStudent(server.url, token, null, presets[i]!);
  const answered = await stats();
  await drain();
  const before = await stats();
  await askAsStudent(server.url, token, conversationId, presets[i]!);
  const done = await stats();
  await drain();
  const after = await stats();
  if (i < WARM_UP) continue;
  firstTurnCpu.push((answered.cpuMicros - start.cpuMicros) / 1000);
  firstAfterCpu.push((before.cpuMicros - answered.cpuMicros) / 1000);
  turnCpu.push((done.cpuMicros - before.cpuMicros) / 1000);
  turnSystem.push((done.systemMicros - before.systemMicros) / 1000);
  afterCpu.push((after.cpuMicros - done.cpuMicros) / 1000);
  statements.push(done.statements - before.statements);
  turnWrites.push(Object.fromEntries(Object.entries(done.writes).map(([to, n]) => [to, n - before.writes[to as keyof Writes]])) as Writes);
}

// What the bench's drain costs with nothing queued (it asks every job kind's queue, twice).
const idleDrain: number[] = [];
for (let i = 0; i < 10; i++) {
  const before = await stats();
  await drain();
  const after = await stats();
  idleDrain.push((after.cpuMicros - before.cpuMicros) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const show = (values: number[]) => `median ${median(values).toFixed(2)} ms, mean ${mean(values).toFixed(2)} ms`;
console.log(`${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, ${TURNS} turns of ${CHUNKS} chunks in an existing conversation (after ${WARM_UP} warm-up):`);
console.log(`  server CPU, turn:        ${show(turnCpu)}`);
console.log(`    of it in the kernel:   ${show(turnSystem)}`);
console.log(`  server CPU, after-work:  ${show(afterCpu)}`);
console.log(`  server CPU, both:        ${show(turnCpu.map((value, i) => value + afterCpu[i]!))}`);
console.log(`  server CPU, a new conversation's first turn: ${show(firstTurnCpu)}`);
console.log(`  server CPU, a new conversation's after-work (title, cache): ${show(firstAfterCpu)}`);
console.log(`  server CPU, an empty drain (polling only): ${show(idleDrain)}`);
console.log(`  SQL statements per turn: median ${median(statements)}`);
const writesTo = (to: keyof Writes) => median(turnWrites.map((w) => w[to]));
console.log(
  `  write syscalls per turn, medians: to the client ${writesTo('client')}, PostgreSQL ${writesTo('postgresql')}, the upstream ${writesTo('upstream')}, stdout ${writesTo('stdout')}, other ${writesTo('other')}`,
);

await Promise.all([server.close(), stub.close()]);
process.exit(0);
