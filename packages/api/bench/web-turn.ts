/**
 * `npm run bench:web-turn`: what a student's turn asked from the web app costs the server, the
 * turn and what the chat page fetches again once its answer has ended (apps/web's
 * `ChatStreamsProvider.refresh`, mirrored here: keep the two alike). STUDENTS students (20) each
 * ask a first question, then a follow-up in the same conversation; after each answer the page's
 * queries go out as the page sends them, batched through the web app's links. Server CPU from the
 * process's own counters and the statements it sent, medians per student, each after WARM_UP (20)
 * students unmeasured. PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 */
import { startBenchChild, startBenchServer } from './children';
import { askAsStudent, studentClient, type BenchStudents } from './web-send';

const STUDENTS = Number(process.env.STUDENTS ?? 20);
const WARM_UP = Number(process.env.WARM_UP ?? 20);

const stub = await startBenchChild('stub.process.ts', {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: 50 }, (_, i) => `w${i} `) } });
const server = await startBenchServer(stub.url);
type Stats = { cpuMicros: number; statements: number };
const stats = () => server.call<Stats>({ type: 'stats' });
const drain = () => server.call({ type: 'drain' });
const { tokens, presets } = await server.call<BenchStudents>({ type: 'users', count: WARM_UP + STUDENTS, prefix: 'web-turn' });

/**
 * The page's queries after an answer: after a first answer, the sidebar's two lists, the chat's
 * messages (the page read them on arrival, while the answer ran) and its header. Nothing after a
 * plain follow-up: its question and saved answer, the chat's place in the sidebar's lists and the
 * quota come with its stream, and the page puts them in its caches (a new chat joins the lists
 * from its `started` event).
 */
function refresh(client: ReturnType<typeof studentClient>, conversationId: string, firstAnswer: boolean) {
  if (!firstAnswer) return Promise.resolve([]);
  return Promise.all([
    client.chat.conversations.query({ limit: 30, pinned: false }),
    client.chat.conversations.query({ limit: 100, pinned: true }),
    client.chat.messages.query({ conversationId, limit: 50 }),
    client.chat.get.query({ id: conversationId }),
  ]);
}
/** A first answer's title, fetched once more a while later: the sidebar's lists, the chat, and the quota (the title's call is metered). */
const titleRefresh = (client: ReturnType<typeof studentClient>, id: string) =>
  Promise.all([
    client.chat.conversations.query({ limit: 30, pinned: false }),
    client.chat.conversations.query({ limit: 100, pinned: true }),
    client.chat.get.query({ id }),
    client.usage.mine.query(),
  ]);

const figures = { firstTurn: [] as number[], firstRefresh: [] as number[], followUp: [] as number[], followUpRefresh: [] as number[] };
const statements = { firstTurn: [] as number[], firstRefresh: [] as number[], followUp: [] as number[], followUpRefresh: [] as number[] };
/** What the server spent over one or more spans (each a pair of stats), summed. */
const record = (name: keyof typeof figures, measured: boolean, ...spans: [Stats, Stats][]) => {
  if (!measured) return;
  figures[name].push(spans.reduce((sum, [from, to]) => sum + to.cpuMicros - from.cpuMicros, 0) / 1000);
  statements[name].push(spans.reduce((sum, [from, to]) => sum + to.statements - from.statements, 0));
};
for (const [i, token] of tokens.entries()) {
  const measured = i >= WARM_UP;
  const client = studentClient(server.url, token);
  const a = await stats();
  const conversationId = await askAsStudent(server.url, token, null, presets[i]!);
  const b = await stats();
  await refresh(client, conversationId, true);
  const b2 = await stats();
  // The title's job runs meanwhile (after-work, not counted here), then the page asks again.
  await drain();
  const c = await stats();
  await titleRefresh(client, conversationId);
  const d = await stats();
  await askAsStudent(server.url, token, conversationId, presets[i]!);
  const e = await stats();
  await refresh(client, conversationId, false);
  const f = await stats();
  await drain();
  record('firstTurn', measured, [a, b]);
  // The first answer's two fetches, without the after-work between them.
  record('firstRefresh', measured, [b, b2], [c, d]);
  record('followUp', measured, [d, e]);
  record('followUpRefresh', measured, [e, f]);
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
console.log(`${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, ${STUDENTS} students after ${WARM_UP}, server CPU (median ms) and statements:`);
for (const name of Object.keys(figures) as (keyof typeof figures)[])
  console.log(`  ${name.padEnd(16)} ${median(figures[name]).toFixed(2).padStart(6)} ms  ${median(statements[name])} statements`);
await Promise.all([server.close(), stub.close()]);
process.exit(0);
