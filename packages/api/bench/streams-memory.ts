/**
 * Memory probe (`npm run bench:streams-memory -w @atrium/api`): Atrium's server in its own
 * process with production's node flags (BENCH_SERVER_NODE_FLAGS replaces them), N students
 * (N, default 100) each streaming an answer at once. Prints the server's RSS and V8 heap at idle,
 * while the streams run, their peak, and the server's CPU during them; SEQ turns one at a time
 * first give CPU per turn. DB=pglite for the embedded database (PostgreSQL needs TEST_DATABASE_URL).
 * SNAP=/path/prefix writes heap snapshots (idle, mid-stream, after) of the server, to see what
 * a stream holds; a snapshot inflates RSS, so its run's later figures are not comparable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import { startStubUpstream } from '@atrium/testing/stub';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../src/root';
import { forkBenchChild } from './children';
import { productionNodeFlags } from './production-flags';

const N = Number(process.env.N ?? 100);
const SNAP = process.env.SNAP ?? '';
const pg = process.env.DB === 'pglite' ? null : await createPostgresDatabase();
const target: DatabaseTarget = pg
  ? pg.target
  : { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'atrium-streams-')) };
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);
const stub = await startStubUpstream({
  defaultReply: { text: words(50), delayMs: 20, chunkDelayMs: 10 },
  keepAliveTimeoutMs: 10 * 60_000,
});
const child = await forkBenchChild(
  'server.process.ts',
  { NODE_ENV: 'production', BENCH_TARGET: JSON.stringify(target), DEMO_LLM_BASE_URL: stub.url },
  productionNodeFlags(target.kind),
);
type Stats = {
  rss: number;
  peakRss: number;
  cpuMicros: number;
  memory: { heapUsed: number; heapTotal: number; external: number };
};
type Message = Stats & { ready?: boolean; url?: string; id: number; tokens: string[] };
let seq = 0;
const pending = new Map<number, (message: Message) => void>();
const url = await new Promise<string>((resolve) =>
  child.on('message', (message: Message) => {
    if (message.ready) return resolve(message.url!);
    pending.get(message.id)?.(message);
  }),
);
const call = (command: Record<string, unknown>) =>
  new Promise<Message>((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    child.send({ ...command, id });
  });
const mib = (m: Stats) => ({
  rss: Math.round(m.rss / 2 ** 20),
  heapUsed: Math.round(m.memory.heapUsed / 2 ** 20),
  heapTotal: Math.round(m.memory.heapTotal / 2 ** 20),
  external: Math.round(m.memory.external / 2 ** 20),
});
const clientFor = (token: string) =>
  createTRPCClient<AppRouter>({
    links: [
      httpBatchStreamLink({
        url: `${url}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  });
async function turn(
  client: ReturnType<typeof clientFor>,
  conversationId: string | null,
  onDelta?: (n: number) => void,
) {
  let id = conversationId;
  let n = 0;
  for await (const e of await client.chat.send.mutate({
    conversationId,
    content: `Question ${Math.random()}`,
    modelId: 'demo',
  })) {
    if (e.type === 'started') id = e.conversation.id;
    if (e.type === 'delta') onDelta?.(++n);
    if (e.type === 'failed') throw new Error(e.error);
  }
  return id!;
}
const { tokens } = await call({ type: 'users', count: N, prefix: 'p' });
const clients = tokens.map(clientFor);
for (let i = 0; i < 3; i++) await turn(clients[0]!, null);
const conversations = await Promise.all(clients.map((client) => turn(client, null)));
await call({ type: 'drain' });
const SEQ = Number(process.env.SEQ ?? 0);
if (SEQ) {
  const before = await call({ type: 'stats' });
  for (let i = 0; i < SEQ; i++) await turn(clients[i % N]!, conversations[i % N]!);
  await call({ type: 'drain' });
  const after = await call({ type: 'stats' });
  console.log(
    'sequential turns',
    SEQ,
    'server cpu ms per turn (after-work jobs included)',
    ((after.cpuMicros - before.cpuMicros) / 1000 / SEQ).toFixed(2),
  );
}
const idlePre = await call({ type: 'stats', peak: 'start' });
if (SNAP) console.log('idle before snapshot', mib(idlePre));
const idle = SNAP ? await call({ type: 'heapSnapshot', path: `${SNAP}-idle.heapsnapshot` }) : idlePre;
console.log('idle', mib(idle));
const reply = {
  text: words(Number(process.env.WORDS ?? 300)),
  delayMs: 20,
  chunkDelayMs: Number(process.env.CHUNK_MS ?? 10),
};
let reached = 0;
for (let i = 0; i < N; i++) stub.script(reply);
const running = Promise.all(
  clients.map((client, i) =>
    turn(client, conversations[i]!, (n) => {
      if (n === 1) reached++;
    }),
  ),
);
const started = Date.now();
while (reached < N && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, Number(process.env.WAIT_MS ?? 1500)));
const midPre = await call({ type: 'stats' });
if (SNAP) console.log('mid before snapshot', mib(midPre), 'peak', Math.round(midPre.peakRss / 2 ** 20));
const mid = SNAP ? await call({ type: 'heapSnapshot', path: `${SNAP}-mid.heapsnapshot` }) : midPre;
const midStats = await call({ type: 'stats' });
console.log('mid', reached, mib(mid), 'peak', Math.round(midStats.peakRss / 2 ** 20));
await running;
await call({ type: 'drain' });
const endStats = await call({ type: 'stats' });
console.log(
  'streams done: peak',
  Math.round(endStats.peakRss / 2 ** 20),
  'cpu ms during streams',
  Math.round((endStats.cpuMicros - idlePre.cpuMicros) / 1000),
);
const after = SNAP ? await call({ type: 'heapSnapshot', path: `${SNAP}-after.heapsnapshot` }) : endStats;
console.log('after', mib(after));
child.send({ type: 'close', id: 0 });
await new Promise((r) => child.once('exit', r));
await stub.close();
await pg?.drop();
if (target.kind === 'pglite') rmSync(target.dataDir, { recursive: true, force: true });
process.exit(0);
