/**
 * `npm run bench:first-token -w @atrium/api`: where a turn's time to its first token goes, on one
 * clock across the three processes (`performance.timeOrigin + performance.now()`): the client's
 * send, the server's moments (the request arriving, by Node's `http.server.request.start`; the
 * turn's own, `src/observability/moments.ts`; its upstream request created and given its socket,
 * by node:http's diagnostics channels), each statement the server sends (its statement log; statements
 * sent bound through `directSql` are logged as they are sent), the stub receiving the upstream
 * request, the client's first delta; and the same for a direct AI SDK call. TURNS students each ask a first question
 * (not measured), then a follow-up in that conversation (measured); with `TURN=new`, the first
 * question (a new conversation) is the measured one and there is no follow-up. `PAUSE_MS`: the
 * student waits that long before the measured question, as one who reads the answer first (the
 * idle server closes what it closes meanwhile); `DIRECT_BEFORE=1`: a direct call streams just
 * before each measured question, as in the full bench; `WARM_UP` turns are left out (5). Medians per step. PostgreSQL
 * when TEST_DATABASE_URL is set, else PGlite. Run it on an idle machine: under load every gap
 * grows with the wait for a core.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { startBenchChild, startBenchServer } from './children';
import { studentClient, webSendInput, type BenchStudents } from './web-send';

const TURNS = Number(process.env.TURNS ?? 30);
const MEASURED: 'new' | 'follow-up' = process.env.TURN === 'new' ? 'new' : 'follow-up';
const WARM_UP = Number(process.env.WARM_UP ?? 5);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
const DIRECT_BEFORE = process.env.DIRECT_BEFORE === '1';
const now = () => performance.timeOrigin + performance.now();

const stub = await startBenchChild('stub.process.ts', {});
// As the issue's upstream: first token after 20 ms, then 50 chunks 10 ms apart.
await stub.call({ type: 'reply', reply: { text: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 20, chunkDelayMs: 10 } });
const server = await startBenchServer(stub.url);
const received = async () => (await stub.call<{ receivedAt: number }>({ type: 'lastRequest' })).receivedAt;
const direct = createOpenAICompatible({ name: 'direct', baseURL: stub.url, includeUsage: true });

const { tokens, presets } = await server.call<BenchStudents>({ type: 'users', count: TURNS + WARM_UP, prefix: 'first-token' });
/** Per step (a statement's first words, or a named moment), its time after the client's send, per measured turn. */
const steps = new Map<string, number[]>();
const record = (step: string, ms: number) => (steps.get(step) ?? steps.set(step, []).get(step)!).push(ms);

for (const [i, token] of tokens.entries()) {
  const client = studentClient(server.url, token);
  let conversationId: string | null = null;
  if (MEASURED === 'follow-up') {
    for await (const event of await client.chat.send.mutate(webSendInput(null, `First question ${i}?`, presets[i]!))) {
      if (event.type === 'started') conversationId = event.conversation.id;
    }
    await server.call({ type: 'drain' });
  }

  if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  // As the full bench orders them: a direct call streams (0.5 s, the server idle) just before the measured turn.
  if (DIRECT_BEFORE) {
    const before = streamText({ model: direct.chatModel('atrium-demo'), messages: [{ role: 'user', content: `Direct before ${i}?` }], maxRetries: 0 });
    for await (const _ of before.textStream);
    await before.usage;
  }
  await server.call({ type: 'trace', on: true, moments: true });
  const sent = now();
  let firstDelta = 0;
  for await (const event of await client.chat.send.mutate(webSendInput(conversationId, MEASURED === 'new' ? `First question ${i}?` : `Follow-up ${i}?`, presets[i]!))) {
    if (event.type === 'delta' && !firstDelta) firstDelta = now();
  }
  const upstreamReceived = await received();
  const { statements, at, cpu } = await server.call<{ statements: string[]; at: number[]; cpu: number[] }>({ type: 'trace', on: false });
  // A new conversation's after-work (its title) runs between turns, as the follow-ups' first questions' does.
  if (MEASURED === 'new') await server.call({ type: 'drain' });

  const directSent = now();
  let directFirst = 0;
  const answer = streamText({ model: direct.chatModel('atrium-demo'), messages: [{ role: 'user', content: `Direct ${i}?` }], maxRetries: 0 });
  for await (const delta of answer.textStream) if (delta && !directFirst) directFirst = now();
  await answer.usage;
  const directReceived = await received();
  if (i < WARM_UP) continue;

  // Statements before the upstream call, in the order sent; the answer's own (after it) are left out.
  statements.forEach((sql, n) => at[n]! <= upstreamReceived && record(`${n + 1}. ${sql.replace(/\s+/g, ' ').slice(0, 60)}`, at[n]! - sent));
  // The server's own CPU from the request's arrival to each step (the steps after the upstream request left are not shown).
  statements.forEach((sql, n) => n > 0 && at[n]! <= upstreamReceived && record(`  server CPU since the request arrived, at ${n + 1}. ${sql.replace(/\s+/g, ' ').slice(0, 40)}`, (cpu[n]! - cpu[0]!) / 1000));
  record('upstream request received by the stub', upstreamReceived - sent);
  // Per turn, from the admission on (less noisy than the medians of the moments themselves).
  const admittedAt = at[statements.indexOf('(server: admitted)')];
  const turnReadAt = at[statements.indexOf('(server: turn read)')];
  if (admittedAt !== undefined) {
    statements.forEach((sql, n) => at[n]! > admittedAt && at[n]! <= upstreamReceived && sql.startsWith('(') && record(`  since admitted: ${sql}`, at[n]! - admittedAt));
    record('  since admitted: upstream request received by the stub', upstreamReceived - admittedAt);
  }
  if (turnReadAt !== undefined) record('  since turn read: upstream request received by the stub', upstreamReceived - turnReadAt);
  record('  added first token (per turn)', firstDelta - sent - (directFirst - directSent));
  record('first delta at the client', firstDelta - sent);
  record('direct: upstream request received by the stub', directReceived - directSent);
  record('direct: first delta at the client', directFirst - directSent);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`${server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, ${TURNS} ${MEASURED === 'new' ? 'new-conversation' : 'follow-up'} turns (after ${WARM_UP} warm-up), ms after the client's send, medians:`);
for (const [step, values] of steps) console.log(`  ${median(values).toFixed(2).padStart(7)}  ${step}${values.length < TURNS ? ` (in ${values.length} turns)` : ''}`);

await server.close();
await stub.close();
