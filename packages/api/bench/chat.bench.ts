/**
 * Benchmark: one chat turn through Atrium (HTTP → tRPC → limits → prompt → provider → persist)
 * against the same request made directly with the AI SDK, both against the stub upstream on
 * loopback, interleaved in one run. Reports time to first token and total time, percentiles
 * and ratios, and writes them to bench/results/chat.json at the repository root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Message, seed, User } from '@atrium/db';
import { startStubUpstream } from '@atrium/testing/stub';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import { streamText } from 'ai';
import superjson from 'superjson';
import type { AppRouter } from '../src/root';
import { startTestApiServer } from '../src/testing';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
const WARMUP = 5;
const CHUNKS = Array.from({ length: 20 }, (_, i) => `word${i} `);

const stub = await startStubUpstream({ defaultReply: { text: CHUNKS, chunkDelayMs: 2 } });
const server = await startTestApiServer({ config: { providers: { demo: { baseURL: stub.url } } } });
await seed(server.runtime.orm.em.fork(), { hashPassword });
const em = server.runtime.orm.em.fork();
const { user } = await makeLocalUser(em, { role: 'admin' });
await em.nativeUpdate(User, { id: user.id }, { limits: {} });
const { token } = await createSession(em, user, { type: 'active_session' });
const client = createTRPCClient<AppRouter>({
  links: [httpBatchStreamLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
});
const conversation = await client.chat.create.mutate({ title: 'Benchmark', modelId: 'demo' });
const direct = createOpenAICompatible({ name: 'direct', baseURL: stub.url, includeUsage: true });

type Sample = { firstTokenMs: number; totalMs: number };

async function viaAtrium(): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  for await (const event of await client.chat.send.mutate({ conversationId: conversation.id, content: 'Benchmark question', modelId: 'demo' })) {
    if (event.type === 'delta' && !first) first = performance.now() - started;
  }
  const sample = { firstTokenMs: first, totalMs: performance.now() - started };
  // Outside the timing: every turn starts from the same empty history.
  await server.runtime.orm.em.fork().nativeDelete(Message, { conversation: conversation.id });
  return sample;
}

async function viaSdk(): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  const result = streamText({ model: direct.chatModel('atrium-demo'), prompt: 'Benchmark question', maxRetries: 0 });
  for await (const delta of result.textStream) if (delta && !first) first = performance.now() - started;
  await result.usage;
  return { firstTokenMs: first, totalMs: performance.now() - started };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const summarize = (samples: Sample[], key: keyof Sample) => {
  const values = samples.map((sample) => sample[key]);
  return { p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), mean: values.reduce((a, b) => a + b, 0) / values.length };
};

for (let i = 0; i < WARMUP; i++) {
  await viaAtrium();
  await viaSdk();
}
const atrium: Sample[] = [];
const sdk: Sample[] = [];
// Interleaved, so both paths see the same machine conditions.
for (let i = 0; i < ITERATIONS; i++) {
  atrium.push(await viaAtrium());
  sdk.push(await viaSdk());
}

const report = {
  benchmark: 'chat turn: Atrium (HTTP + tRPC + limits + persistence) vs direct AI SDK call, same stub upstream',
  iterations: ITERATIONS,
  chunks: CHUNKS.length,
  atrium: { firstTokenMs: summarize(atrium, 'firstTokenMs'), totalMs: summarize(atrium, 'totalMs') },
  direct: { firstTokenMs: summarize(sdk, 'firstTokenMs'), totalMs: summarize(sdk, 'totalMs') },
  ratios: {
    firstTokenP50: summarize(atrium, 'firstTokenMs').p50 / summarize(sdk, 'firstTokenMs').p50,
    totalP50: summarize(atrium, 'totalMs').p50 / summarize(sdk, 'totalMs').p50,
    totalP90: summarize(atrium, 'totalMs').p90 / summarize(sdk, 'totalMs').p90,
  },
  node: process.version,
  at: new Date().toISOString(),
};

const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}chat.json`, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));

await server.close();
await stub.close();
