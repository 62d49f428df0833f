/**
 * Benchmark: a chat turn through Atrium against the same request made directly with the AI SDK
 * (`streamText` to the same OpenAI-compatible stub upstream, with the very same system prompt
 * and messages), interleaved in one run. Atrium's server runs in its own process, started as in
 * production; its CPU time, RSS and SQL statements come from its own counters over IPC. The
 * direct client runs in a process of its own too (bench/direct.process.ts), which times its calls
 * and reads its own CPU; the stub upstream in a fourth. This process runs Atrium's clients.
 *
 * Every turn is a distinct student asking a distinct question, so no turn is served by the
 * answer cache; the cache hit is measured as its own path. PGlite always, and PostgreSQL too
 * when TEST_DATABASE_URL is set. Writes bench/results/chat-<database>.json at the repository root.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseTarget } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import type { StubReply } from '@atrium/testing/stub';
import type { ModelMessage } from 'ai';
import OpenAI from 'openai';
import { forkBenchChild } from './children';
import { studentClient, webSendInput, type BenchStudents } from './web-send';
import { measurePages } from './pages';
import { productionNodeFlags } from './production-flags';

const QUICK = process.env.BENCH_QUICK === '1';
const SEQUENTIAL = QUICK ? 6 : 24;
/** Turns per answer length for the CPU split: its medians moved by ~2 ms between runs with 12. */
const CPU_SAMPLES = QUICK ? 3 : 40;
const ROUNDS = QUICK ? 1 : 3;
const CONCURRENCY = [10, 50, 100];
const UNDER_LOAD = QUICK ? 4 : 12;
const CACHE_SAMPLES = QUICK ? 4 : 10;
const THROUGHPUT_RUNS = QUICK ? 1 : 5;
const THROUGHPUT_CHUNKS = 4000;
/** Follow-ups asked after the student read the answer, and how long they read: past the 10 s after which an idle pooled connection closes. */
const PAUSE_SAMPLES = QUICK ? 2 : 4;
const PAUSE_MS = 11_000;
/**
 * Turns each side takes before anything is measured (students of their own, each a first question
 * and a follow-up, ten at a time; the direct client as many calls), so both are measured as a
 * server that has answered its first few hundred questions runs, not while V8 is still compiling
 * the turn's code: a follow-up's server CPU fell from 5.9–6.6 ms after 20 turns to 3.5–3.9 ms
 * after 600 (`bench:cpu-turn` with WARM_UP=10 and 300, alternated).
 */
const WARM_UP_TURNS = Number(process.env.BENCH_WARM_UP_TURNS ?? (QUICK ? 40 : 600));

const words = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}${i} `);
/** As the issue describes an upstream: first token after 20 ms, 50 chunks 10 ms apart. */
const TYPICAL: StubReply = { text: words(50, 'w'), delayMs: 20, chunkDelayMs: 10 };
/**
 * Same shape, no waiting: CPU per turn with 50 and with 2 000 chunks gives fixed and per-chunk
 * cost. The long answer is long so that the chunks' CPU stands well above the spread of the
 * medians (a few ms between runs): with 400 chunks, the difference was within it.
 */
const SHORT_FAST: StubReply = { text: words(50, 'w') };
const LONG_FAST: StubReply = { text: words(2000, 'w') };
const LOAD: StubReply = { text: words(300, 'w'), delayMs: 20, chunkDelayMs: 10 };
/**
 * Per chunk as a real upstream streams it, 10 ms apart: each chunk is a socket read of its own
 * that wakes the process from idle, which costs both sides far more than a chunk in a burst.
 * Solved from 5 and 100 such chunks; a typical turn (50) is measured in the same rotation, student
 * by student, so the three are taken on the same minutes of the machine.
 */
const SPACED_SHORT: StubReply = { text: words(5, 'w'), delayMs: 20, chunkDelayMs: 10 };
const SPACED_LONG: StubReply = { text: words(100, 'w'), delayMs: 20, chunkDelayMs: 10 };
const SPACED_ROTATION = { short: SPACED_SHORT, typical: TYPICAL, long: SPACED_LONG } as const;
const SPACED_SAMPLES = QUICK ? 3 : 30;
/** How long the server's CPU is read with nothing to do: what its timers cost it a second. */
const IDLE_MS = 3000;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// ---------------------------------------------------------------- child processes over IPC
const children = new Set<ChildProcess>();
let closing = false;
process.on('exit', () => children.forEach((child) => child.kill()));
type Child = { process: ChildProcess; url: string; call<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T> };

async function startChild(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Child> {
  const child = await forkBenchChild(script, env, nodeFlags);
  let sequence = 0;
  const pending = new Map<number, (value: unknown) => void>();
  children.add(child);
  const ready = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => {
      children.delete(child);
      const error = new Error(`${script} exited with ${code}`);
      reject(error);
      // A child gone in the middle of a run leaves answers that never come: stop here.
      if (!closing) {
        console.error(error.message);
        process.exit(1);
      }
    });
    child.on('message', (message: { ready?: boolean; url?: string; id?: number; error?: string }) => {
      if (message.ready) return resolve(message.url!);
      const settle = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.error) throw new Error(`${script}: ${message.error}`);
      settle?.(message);
    });
  });
  const url = await ready;
  return {
    process: child,
    url,
    call: <T,>(message: Record<string, unknown>) =>
      new Promise<T>((resolve) => {
        const id = ++sequence;
        pending.set(id, resolve as (value: unknown) => void);
        child.send({ ...message, id });
      }),
  };
}

// ---------------------------------------------------------------- statistics
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const dist = (values: number[]) => ({ p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), p99: round(percentile(values, 99)), n: values.length });

// ---------------------------------------------------------------- the two sides of a turn
type Sample = { firstTokenMs: number; totalMs: number; chunks: number; firstToLastMs: number };
type ServerStats = {
  cpuMicros: number;
  rss: number;
  peakRss: number;
  statements: number;
  transactions: number;
  memory: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
};
/** Where the server's RSS is: V8's heap (used, reserved), memory V8 knows outside it (WebAssembly, Buffers), the rest native. */
const memoryMiB = ({ rss, memory }: ServerStats) => ({
  rss: round(rss / 2 ** 20, 0),
  heapUsed: round(memory.heapUsed / 2 ** 20, 0),
  heapTotal: round(memory.heapTotal / 2 ** 20, 0),
  external: round(memory.external / 2 ** 20, 0),
  arrayBuffers: round(memory.arrayBuffers / 2 ** 20, 0),
  native: round((rss - memory.heapTotal - memory.external) / 2 ** 20, 0),
});

async function run(database: 'pglite' | 'postgresql', target: DatabaseTarget) {
  const stub = await startChild('stub.process.ts', {});
  const server = await startChild(
    'server.process.ts',
    { NODE_ENV: 'production', BENCH_TARGET: JSON.stringify(target), DEMO_LLM_BASE_URL: stub.url },
    productionNodeFlags(database),
  );
  // With the server's node flags: its garbage collector tuned alike, so neither side is charged for the other's settings.
  const direct = await startChild('direct.process.ts', { DIRECT_UPSTREAM_URL: stub.url }, productionNodeFlags(database));
  const setReply = (reply: StubReply) => stub.call({ type: 'reply', reply });
  /** `peak`: 'start' resets the server's peak RSS and samples it until a 'stop' (the sampling costs server CPU). */
  const stats = (peak?: 'start' | 'stop') => server.call<ServerStats>({ type: 'stats', peak });
  let userSerial = 0;
  /** The style each client's student chose: a new conversation names it, as the web app does. */
  const styleOf = new WeakMap<AtriumClient, string | null>();
  /**
   * New students, each with the chat page open: a student asks from the page, so before the first
   * question the server has seen their session (the page's own requests) and their browser holds
   * a connection to it. One request stands for the page's: the sidebar's conversations.
   */
  const users = async (count: number) => {
    const { tokens, presets } = await server.call<BenchStudents>({ type: 'users', count, prefix: `u${userSerial++}` });
    const clients = tokens.map((token, i) => {
      const client = clientFor(server.url, token);
      styleOf.set(client, presets[i]!);
      return client;
    });
    await Promise.all(clients.map((client) => client.chat.conversations.query({ limit: 50, pinned: false })));
    return clients;
  };
  let keySerial = 0;
  /** OpenAI SDK clients, each with its own student's personal API key. */
  const apiClients = async (count: number) => {
    const { keys } = await server.call<{ keys: string[] }>({ type: 'apiKeys', count, prefix: `k${keySerial++}` });
    return keys.map((apiKey) => new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 }));
  };
  let questionSerial = 0;
  const question = () => `Question number ${++questionSerial}: what is ${questionSerial} squared?`;

  async function viaAtrium(client: AtriumClient, conversationId: string | null, content = question()): Promise<Sample & { conversationId: string }> {
    const started = performance.now();
    let first = 0;
    let last = 0;
    let chunks = 0;
    let id = conversationId;
    for await (const event of await client.chat.send.mutate(webSendInput(conversationId, content, styleOf.get(client) ?? null))) {
      if (event.type === 'started') id = event.conversation.id;
      if (event.type === 'delta') {
        last = performance.now();
        if (!first) first = last;
        chunks += 1;
      }
      if (event.type === 'failed') throw new Error(`Atrium turn failed: ${event.error}`);
    }
    return { firstTokenMs: first - started, totalMs: performance.now() - started, chunks, firstToLastMs: last - first, conversationId: id! };
  }

  /** The OpenAI-compatible path: the same history and question as the direct side, streamed through /v1. */
  async function viaApi(client: OpenAI, content = question()): Promise<Sample> {
    const started = performance.now();
    let first = 0;
    let last = 0;
    let chunks = 0;
    const stream = await client.chat.completions.create({
      model: 'demo',
      messages: [...directPrompt.messages.map((m) => ({ role: m.role as 'user' | 'assistant', content: String(m.content) })), { role: 'user', content }],
      stream: true,
    });
    for await (const chunk of stream) {
      if (!chunk.choices[0]?.delta.content) continue;
      last = performance.now();
      if (!first) first = last;
      chunks += 1;
    }
    return { firstTokenMs: first - started, totalMs: performance.now() - started, chunks, firstToLastMs: last - first };
  }

  // The direct side sends what Atrium sent the upstream: its system prompt and messages.
  let directPrompt: { system: string; messages: ModelMessage[] } = { system: '', messages: [] };
  /**
   * A direct call in the direct side's own process (bench/direct.process.ts), with that process's
   * CPU over the call: the call's own only when no other direct call overlaps it.
   */
  const cpuOfDirect = async (content = question()) => {
    const { cpuMs, ...sample } = await direct.call<Sample & { cpuMs: number }>({ type: 'call', content });
    return { sample, cpuMs };
  };
  const viaDirect = async (content = question()): Promise<Sample> => (await cpuOfDirect(content)).sample;

  /**
   * Each student's first question, answered at once (ten students at a time), so that what is
   * measured next is a follow-up in a conversation with a short history. Returns the conversations.
   */
  const firstQuestions = async (clients: AtriumClient[]) => {
    await setReply(SHORT_FAST);
    const conversations: string[] = [];
    for (let i = 0; i < clients.length; i += 10)
      conversations.push(...(await Promise.all(clients.slice(i, i + 10).map(async (client) => (await viaAtrium(client, null)).conversationId))));
    return conversations;
  };

  /** Runs the after-work jobs (title, cache, summary) the server has queued, and waits for them. */
  const drain = () => server.call({ type: 'drain' });
  /**
   * One Atrium turn with the server's own counters read before, once the turn is done (its
   * after-work enqueued), and after its after-work jobs (title, cache, summary) ran.
   */
  async function measuredTurn(client: AtriumClient, conversationId: string | null, content?: string) {
    await drain();
    const before = await stats();
    const sample = await viaAtrium(client, conversationId, content);
    const turn = await stats();
    await drain();
    const after = await stats();
    return {
      sample,
      cpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
      turnCpuMs: (turn.cpuMicros - before.cpuMicros) / 1000,
      statements: turn.statements - before.statements,
      transactions: turn.transactions - before.transactions,
      afterWorkStatements: after.statements - turn.statements,
    };
  }

  /** Seconds each phase took (in the results, `phaseSeconds`): where the run's own time goes. */
  const phaseSeconds: Record<string, number> = {};
  let phaseStarted = performance.now();
  const phaseDone = (name: string) => {
    phaseSeconds[name] = round((performance.now() - phaseStarted) / 1000, 1);
    phaseStarted = performance.now();
  };

  // -------------------------------------------------- warm-up; the prompt the direct side sends
  await setReply(TYPICAL);
  const [warm] = await users(1);
  let warmConversation: string | null = null;
  for (let i = 0; i < 5; i++) warmConversation = (await viaAtrium(warm!, warmConversation)).conversationId;
  const sent = await stub.call<{ body: { messages?: { role: string; content: unknown }[] } }>({ type: 'lastRequest' });
  const wire = sent.body.messages ?? [];
  directPrompt = {
    system: wire.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n'),
    // The history of a conversation two turns in, as Atrium sends it for an existing conversation.
    messages: wire.filter((m) => m.role !== 'system').slice(-5, -1).map((m) => ({ role: m.role as 'user' | 'assistant', content: String(m.content) })),
  };
  await direct.call({ type: 'prompt', ...directPrompt });
  for (let i = 0; i < 5; i++) await viaDirect();

  // -------------------------------------------------- warm-up to a steady state, both sides alike (WARM_UP_TURNS)
  // Every path a phase measures is warmed: first questions answered at once, follow-ups as an
  // upstream streams them (a wake-up per chunk, the batch's quiet timer), and the OpenAI-compatible
  // API, which shares the turn's admission, streaming and settlement. Warmed on fast chat answers
  // alone, the first phase measured (spaced answers and /v1 calls) read Atrium's typical turn
  // 10–15 ms above the same turn measured later ("The typical turn after the warm-up" in
  // docs/performance.md).
  const warmUpStudents = await users(Math.ceil(WARM_UP_TURNS / 2));
  const warmUpApi = await apiClients(warmUpStudents.length);
  for (let i = 0; i < warmUpStudents.length; i += 10) {
    const batch = warmUpStudents.slice(i, i + 10);
    await setReply(SHORT_FAST);
    const conversations = await Promise.all(batch.map(async (client) => (await viaAtrium(client, null)).conversationId));
    await setReply(TYPICAL);
    await Promise.all(batch.map((client, j) => viaAtrium(client, conversations[j]!)));
    await Promise.all(warmUpApi.slice(i, i + 10).map((client) => viaApi(client)));
    await drain();
  }
  for (let i = 0; i < WARM_UP_TURNS; i += 20) {
    await setReply(SHORT_FAST);
    await Promise.all(Array.from({ length: 10 }, () => viaDirect()));
    await setReply(TYPICAL);
    await Promise.all(Array.from({ length: 10 }, () => viaDirect()));
  }
  const idle = await stats();
  phaseDone('warmUp');

  // -------------------------------------------------- one stream at a time, interleaved
  const firstTurn: Awaited<ReturnType<typeof measuredTurn>>[] = [];
  const laterTurn: Awaited<ReturnType<typeof measuredTurn>>[] = [];
  const directTurn: Awaited<ReturnType<typeof cpuOfDirect>>[] = [];
  const apiTurn: Sample[] = [];
  const sequentialUsers = await users(SEQUENTIAL);
  const sequentialApi = await apiClients(SEQUENTIAL);
  for (const [i, client] of sequentialUsers.entries()) {
    const first = await measuredTurn(client, null);
    firstTurn.push(first);
    directTurn.push(await cpuOfDirect());
    laterTurn.push(await measuredTurn(client, first.sample.conversationId));
    directTurn.push(await cpuOfDirect());
    // The OpenAI-compatible path, against the same direct calls, which it sits among.
    apiTurn.push(await viaApi(sequentialApi[i]!));
  }
  phaseDone('oneStream');

  // -------------------------------------------------- a follow-up after the student read the answer
  // Back-to-back turns find every connection warm. A student who reads the answer first finds
  // what an idle process closed meanwhile (pooled database connections, the provider's
  // connection, the client's). After each pause both sides ask, each on connections idle since
  // before it; which asks first (on a machine just woken from idle) alternates. The first pause
  // also gives the server's CPU with nothing to do: what its own timers cost it.
  const afterPause: Sample[] = [];
  const afterPauseDirect: Sample[] = [];
  let idleCpuMsPerSecond = NaN;
  for (const [i, client] of (await users(PAUSE_SAMPLES)).entries()) {
    const { conversationId } = await viaAtrium(client, null);
    await drain();
    if (i === 0) {
      const idleFrom = await stats();
      await sleep(IDLE_MS);
      idleCpuMsPerSecond = ((await stats()).cpuMicros - idleFrom.cpuMicros) / IDLE_MS;
      await sleep(PAUSE_MS - IDLE_MS);
    } else await sleep(PAUSE_MS);
    const atriumTurn = async () => void afterPause.push(await viaAtrium(client, conversationId));
    const directCall = async () => void afterPauseDirect.push(await viaDirect());
    for (const ask of i % 2 === 0 ? [atriumTurn, directCall] : [directCall, atriumTurn]) await ask();
  }
  phaseDone('afterPause');

  /**
   * What `measuredTurn`'s own commands cost the server with no turn between them: the `stats`
   * calls over IPC and a drain that finds no job (its statement asking which queues have any). The
   * direct side's counters pay nothing like it, so the fixed part is also reported without it.
   */
  const benchCommandsCpu = async () => {
    await drain();
    const before = await stats();
    await stats();
    await drain();
    const after = await stats();
    return (after.cpuMicros - before.cpuMicros) / 1000;
  };

  // -------------------------------------------------- CPU per turn: fixed part and per chunk
  const benchCommands: number[] = [];
  const cpuFor = async (reply: StubReply, count: number) => {
    const clients = await users(count);
    const conversations = await firstQuestions(clients);
    await setReply(reply);
    const atrium: number[] = [];
    const direct: number[] = [];
    for (const [i, client] of clients.entries()) {
      atrium.push((await measuredTurn(client, conversations[i]!)).cpuMs);
      direct.push((await cpuOfDirect()).cpuMs);
      benchCommands.push(await benchCommandsCpu());
    }
    return { atrium: percentile(atrium, 50), direct: percentile(direct, 50) };
  };
  const short = await cpuFor(SHORT_FAST, CPU_SAMPLES);
  const long = await cpuFor(LONG_FAST, CPU_SAMPLES);
  const chunkCount = (reply: StubReply) => (reply.text as string[]).length;
  const perChunk = (side: 'atrium' | 'direct') => (long[side] - short[side]) / (chunkCount(LONG_FAST) - chunkCount(SHORT_FAST));
  const fixed = (side: 'atrium' | 'direct') => short[side] - perChunk(side) * chunkCount(SHORT_FAST);
  phaseDone('cpuSplit');

  // -------------------------------------------------- per chunk, spaced as a real upstream sends it; a typical turn
  const lengths = Object.keys(SPACED_ROTATION) as (keyof typeof SPACED_ROTATION)[];
  const spacedSamples = () => ({ short: [] as number[], typical: [] as number[], long: [] as number[] });
  const spaced = { atrium: spacedSamples(), direct: spacedSamples() };
  const spacedStudents = await users(lengths.length * SPACED_SAMPLES);
  const spacedConversations = await firstQuestions(spacedStudents);
  for (const [i, client] of spacedStudents.entries()) {
    const length = lengths[i % lengths.length]!;
    await setReply(SPACED_ROTATION[length]);
    // Both sides at once: each side's CPU is read from its own process, and a chunk 10 ms after
    // the last wakes each from idle whether or not the other streams beside it.
    const [atrium, direct] = await Promise.all([measuredTurn(client, spacedConversations[i]!), cpuOfDirect()]);
    spaced.atrium[length].push(atrium.cpuMs);
    spaced.direct[length].push(direct.cpuMs);
  }
  const spacedPerChunk = (side: 'atrium' | 'direct') =>
    (percentile(spaced[side].long, 50) - percentile(spaced[side].short, 50)) / (chunkCount(SPACED_LONG) - chunkCount(SPACED_SHORT));
  phaseDone('spaced');

  // -------------------------------------------------- the answer cache, as its own path
  await setReply(TYPICAL);
  const cacheHits: Awaited<ReturnType<typeof measuredTurn>>[] = [];
  for (const client of await users(CACHE_SAMPLES)) {
    const asked = question();
    await viaAtrium(client, null, asked);
    cacheHits.push(await measuredTurn(client, null, asked));
  }
  phaseDone('cacheHit');

  // -------------------------------------------------- N streams starting together
  const concurrency: Record<string, unknown> = {};
  let peakRss = idle.rss;
  let memoryAfter100: ReturnType<typeof memoryMiB> | null = null;
  for (const n of CONCURRENCY) {
    const atrium: Sample[] = [];
    const directSamples: Sample[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const clients = await users(n);
      // Their first questions answered at once, with the same 50 words a streamed one has.
      await setReply(SHORT_FAST);
      const conversations = await Promise.all(clients.map(async (client) => (await viaAtrium(client, null)).conversationId));
      await setReply(TYPICAL);
      await drain();
      await stats('start');
      atrium.push(...(await Promise.all(clients.map((client, i) => viaAtrium(client, conversations[i]!)))));
      const after = await stats();
      peakRss = Math.max(peakRss, after.peakRss);
      if (n === 100) memoryAfter100 = memoryMiB(after);
      directSamples.push(...(await Promise.all(clients.map(() => viaDirect()))));
      await drain();
    }
    concurrency[`streams${n}`] = comparison(atrium, directSamples);
  }
  phaseDone('together');

  // -------------------------------------------------- a new turn while 100 streams run
  const background = await users(100);
  const backgroundConversations = await Promise.all(background.map(async (client) => (await viaAtrium(client, null)).conversationId));
  const probes = await users(UNDER_LOAD);
  const probeConversations = await Promise.all(probes.map(async (client) => (await viaAtrium(client, null)).conversationId));
  await drain();
  await setReply(LOAD);
  const running = Promise.all(background.map((client, i) => viaAtrium(client, backgroundConversations[i]!)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await setReply(TYPICAL);
  const underLoadAtrium: Sample[] = [];
  const underLoadDirect: Sample[] = [];
  for (let i = 0; i < probes.length; i++) {
    underLoadAtrium.push(await viaAtrium(probes[i]!, probeConversations[i]!));
    underLoadDirect.push(await viaDirect());
  }
  await running;
  // The peak since the last round's start: that round, this phase's set-up and its streams.
  peakRss = Math.max(peakRss, (await stats('stop')).peakRss);
  await drain();
  phaseDone('beside100');

  // -------------------------------------------------- throughput of a long fast answer
  await setReply({ text: words(THROUGHPUT_CHUNKS, 't') });
  const throughputAtrium: number[] = [];
  const throughputDirect: number[] = [];
  const lastTextAtrium: number[] = [];
  const lastTextDirect: number[] = [];
  const [reader] = await users(1);
  for (let i = 0; i < THROUGHPUT_RUNS; i++) {
    const { conversationId } = await viaAtrium(reader!, null);
    await drain();
    const a = await viaAtrium(reader!, conversationId);
    throughputAtrium.push(THROUGHPUT_CHUNKS / ((a.totalMs - a.firstTokenMs) / 1000));
    lastTextAtrium.push(THROUGHPUT_CHUNKS / (a.firstToLastMs / 1000));
    const d = await viaDirect();
    throughputDirect.push(THROUGHPUT_CHUNKS / ((d.totalMs - d.firstTokenMs) / 1000));
    lastTextDirect.push(THROUGHPUT_CHUNKS / (d.firstToLastMs / 1000));
  }
  phaseDone('throughput');

  // -------------------------------------------------- pages: HTTP against the request's own SQL (bench/pages.ts)
  // The last long answer's after-work (its conversation's summary, read from a 4 000-chunk reply)
  // runs first: pages are timed on a server doing only them, as every phase before is.
  await setReply(TYPICAL);
  await drain();
  const pages = await measurePages(server, { sizes: QUICK ? [1000] : [1000, 100_000], samples: QUICK ? 20 : 40 });
  phaseDone('pages');

  closing = true;
  for (const child of [server, stub, direct]) child.process.send({ type: 'close', id: 0 });
  await Promise.all([server, stub, direct].map((child) => new Promise((resolve) => child.process.once('exit', resolve))));
  closing = false;

  const turnSummary = (turns: Awaited<ReturnType<typeof measuredTurn>>[]) => ({
    statements: dist(turns.map((t) => t.statements)),
    transactions: dist(turns.map((t) => t.transactions)),
    afterWorkJobStatements: dist(turns.map((t) => t.afterWorkStatements)),
    serverCpuMs: dist(turns.map((t) => t.cpuMs)),
    serverCpuMsWithoutAfterWork: dist(turns.map((t) => t.turnCpuMs)),
  });
  const oneStream = comparison(
    [...firstTurn, ...laterTurn].map((t) => t.sample),
    directTurn.map((t) => t.sample),
  );
  const openAiCompatible = comparison(apiTurn, directTurn.map((t) => t.sample));
  return {
    database,
    upstream: 'stub in its own process: first token after 20 ms, 50 chunks 10 ms apart',
    warmUpTurns: WARM_UP_TURNS,
    oneStream,
    /** The OpenAI-compatible /v1/chat/completions path (official openai SDK, streamed) against the same direct call. */
    openAiCompatible,
    addedFirstTokenMsByChannel: { web: oneStream.addedFirstTokenMs, api: openAiCompatible.addedFirstTokenMs },
    /** The web's turns apart: a new student's first question (its session read, a new conversation) and a follow-up. */
    addedFirstTokenMsByTurn: {
      newConversation: comparison(firstTurn.map((t) => t.sample), directTurn.map((t) => t.sample)).addedFirstTokenMs,
      existingConversation: comparison(laterTurn.map((t) => t.sample), directTurn.map((t) => t.sample)).addedFirstTokenMs,
    },
    /** A follow-up asked PAUSE_MS after the answer it follows, against a direct call after as long a pause (the two alternate in going first). */
    followUpAfterPause: { pauseMs: PAUSE_MS, ...comparison(afterPause, afterPauseDirect) },
    concurrency,
    newTurnWhile100Stream: comparison(underLoadAtrium, underLoadDirect),
    sql: { newConversation: turnSummary(firstTurn), existingConversation: turnSummary(laterTurn), cacheHit: turnSummary(cacheHits) },
    cacheHit: { firstTokenMs: dist(cacheHits.map((t) => t.sample.firstTokenMs)), totalMs: dist(cacheHits.map((t) => t.sample.totalMs)) },
    cpuPerTurn: {
      note: "median CPU of an existing-conversation turn with 50 and with 2000 chunks (no upstream delay); fixed + per chunk solved from the two. Atrium: server process, after-work included, and the bench's own commands around the turn (also reported apart); direct: its own process, from the call's start to its stream's end",
      samples: CPU_SAMPLES,
      atrium: {
        fixedMs: round(fixed('atrium')),
        /** The bench's own commands around a turn with no turn between them (`benchCommandsCpu`), median, interleaved with the turns. */
        benchCommandsMs: round(percentile(benchCommands, 50)),
        fixedWithoutBenchCommandsMs: round(fixed('atrium') - percentile(benchCommands, 50)),
        perChunkMs: round(perChunk('atrium'), 4),
        at50: round(short.atrium),
        at2000: round(long.atrium),
      },
      direct: { fixedMs: round(fixed('direct')), perChunkMs: round(perChunk('direct'), 4), at50: round(short.direct), at2000: round(long.direct) },
      ratios: {
        fixed: round(fixed('atrium') / fixed('direct')),
        fixedWithoutBenchCommands: round((fixed('atrium') - percentile(benchCommands, 50)) / fixed('direct')),
        perChunk: round(perChunk('atrium') / perChunk('direct')),
      },
      /**
       * Per chunk with the chunks 10 ms apart, as an upstream streams them (median CPU of a turn of
       * 5 and of 100 such chunks). Atrium's includes what its idle timers cost during the turn's
       * extra second (`serverIdleCpuMsPerSecond`, ~1/100 of it a chunk).
       */
      perChunkSpaced: {
        samples: SPACED_SAMPLES,
        atriumMs: round(spacedPerChunk('atrium'), 4),
        directMs: round(spacedPerChunk('direct'), 4),
        ratio: round(spacedPerChunk('atrium') / spacedPerChunk('direct')),
        atriumAt5: round(percentile(spaced.atrium.short, 50)),
        atriumAt100: round(percentile(spaced.atrium.long, 50)),
        directAt5: round(percentile(spaced.direct.short, 50)),
        directAt100: round(percentile(spaced.direct.long, 50)),
      },
      /**
       * A turn as the upstream streams it (first token after 20 ms, 50 chunks 10 ms apart): each
       * chunk wakes the process from idle, which costs both sides far more than a chunk in a burst.
       * Taken in the spaced rotation, beside the 5- and 100-chunk turns the slope is solved from.
       */
      typical: {
        samples: SPACED_SAMPLES,
        atriumMs: round(percentile(spaced.atrium.typical, 50)),
        directMs: round(percentile(spaced.direct.typical, 50)),
        ratio: round(percentile(spaced.atrium.typical, 50) / percentile(spaced.direct.typical, 50)),
        /** Each side's spread: on a machine whose speed moves by the minute, the medians alone hide it. */
        atrium: dist(spaced.atrium.typical),
        direct: dist(spaced.direct.typical),
        /**
         * The same shape of turn in the one-stream phase, the first measured after the warm-up (a
         * follow-up after a first question answered the same way; the direct calls after either).
         * Both sides read higher there, by more from one run to the next than between them.
         */
        firstPhase: {
          atrium: dist(laterTurn.map((t) => t.cpuMs)),
          direct: dist(directTurn.map((t) => t.cpuMs)),
          ratio: round(percentile(laterTurn.map((t) => t.cpuMs), 50) / percentile(directTurn.map((t) => t.cpuMs), 50)),
        },
      },
    },
    throughput: {
      chunks: THROUGHPUT_CHUNKS,
      atriumChunksPerSecond: Math.round(percentile(throughputAtrium, 50)),
      directChunksPerSecond: Math.round(percentile(throughputDirect, 50)),
      ratio: round(percentile(throughputAtrium, 50) / percentile(throughputDirect, 50)),
      /** First to last text only, leaving out what comes after the text (Atrium: saving the answer before its `finished` event). */
      toLastText: {
        atriumChunksPerSecond: Math.round(percentile(lastTextAtrium, 50)),
        directChunksPerSecond: Math.round(percentile(lastTextDirect, 50)),
        ratio: round(percentile(lastTextAtrium, 50) / percentile(lastTextDirect, 50)),
      },
    },
    serverRssMiB: { idle: round(idle.rss / 2 ** 20, 0), peak: round(peakRss / 2 ** 20, 0) },
    /** The server's CPU with no request for IDLE_MS, in the first pause (after the warm-up and the turns one at a time): its timers and pools alone. */
    serverIdleCpuMsPerSecond: round(idleCpuMsPerSecond),
    /** process.memoryUsage() of the server at idle and right after 100 streams ended ("native": RSS outside V8's heap and external memory). */
    serverMemoryMiB: { idle: memoryMiB(idle), after100Streams: memoryAfter100 },
    pages,
    phaseSeconds,
  };
}

type AtriumClient = ReturnType<typeof clientFor>;
const clientFor = studentClient;

/** Atrium's first-token times next to the direct call's, and what Atrium adds (p50 and p99 of each side subtracted). */
function comparison(atrium: Sample[], direct: Sample[]) {
  const a = atrium.map((s) => s.firstTokenMs);
  const d = direct.map((s) => s.firstTokenMs);
  return {
    atriumFirstTokenMs: dist(a),
    directFirstTokenMs: dist(d),
    addedFirstTokenMs: { p50: round(percentile(a, 50) - percentile(d, 50)), p99: round(percentile(a, 99) - percentile(d, 99)) },
    totalMs: { atrium: dist(atrium.map((s) => s.totalMs)), direct: dist(direct.map((s) => s.totalMs)), ratioP50: round(percentile(atrium.map((s) => s.totalMs), 50) / percentile(direct.map((s) => s.totalMs), 50)) },
  };
}

// ---------------------------------------------------------------- main
const targets: { database: 'pglite' | 'postgresql'; target: DatabaseTarget; cleanup(): Promise<void> }[] = [];
const pgliteDir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
targets.push({ database: 'pglite', target: { kind: 'pglite', dataDir: pgliteDir }, cleanup: async () => rmSync(pgliteDir, { recursive: true, force: true }) });
if (process.env.TEST_DATABASE_URL) {
  const pg = await createPostgresDatabase();
  targets.push({ database: 'postgresql', target: pg.target, cleanup: pg.drop });
}
const only = process.env.BENCH_DATABASE;
const outDir = join(repoRoot, 'bench/results');
mkdirSync(outDir, { recursive: true });
for (const { database, target, cleanup } of targets) {
  if (only && only !== database) {
    await cleanup();
    continue;
  }
  try {
    const report = {
      benchmark: 'chat turn: Atrium (own process, HTTP + tRPC + limits + persistence) vs direct AI SDK streamText, same stub upstream and prompt',
      ...(await run(database, target)),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, platform: process.platform },
      quick: QUICK,
      at: new Date().toISOString(),
    };
    writeFileSync(join(outDir, `chat-${database}.json`), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await cleanup();
  }
}
process.exit(0);
