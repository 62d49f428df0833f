/**
 * Atrium's API server for the benchmark, in a process of its own and started the way
 * production starts (NODE_ENV=production, migrations applied, the seeded catalogue): the apps'
 * HTTP stack (`createAppStack`: request logging, probes, security headers, compression, tRPC and
 * the other API routes), exactly what the apps' server runs in front of Remix. Its own counters
 * go to the parent over IPC: CPU time (process.cpuUsage), RSS (and its peak while a phase asks
 * for it), every SQL statement sent, and its write syscalls by destination.
 */
import { subscribe } from 'node:diagnostics_channel';
import fs, { readFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { Socket, type AddressInfo } from 'node:net';
import { writeHeapSnapshot } from 'node:v8';
import { createApiKey, createSession } from '@atrium/auth';
import { directSql, Preset, User, type DatabaseTarget } from '@atrium/db';
import { TURN_MOMENTS } from '../src/observability/moments';
import { afterWorkSettled } from '../src/routers/chat/chat.service';
import { createApiRuntime, seedAndReport } from '../src/server/runtime';
import { createAppStack, keepIdleConnections } from '../src/server/stack';
import { mixedStyle, type BenchStyles } from './web-send';

const target = JSON.parse(process.env.BENCH_TARGET!) as DatabaseTarget;

let statements = 0;
let transactions = 0;
/**
 * Write syscalls by where they go: a socket's `_write`/`_writev` is one write(2)/writev(2) (what
 * node buffered while the socket was corked goes in one), and the log's lines are one write(2)
 * each to stdout (pino's synchronous destination). The IPC channel to the bench writes otherwise.
 */
const writes = { client: 0, postgresql: 0, upstream: 0, other: 0, stdout: 0 };
const databasePort = target.kind === 'postgresql' ? Number(new URL(target.url).port || 5432) : -1;
const upstreamPort = Number(new URL(process.env.DEMO_LLM_BASE_URL!).port);
const destination = (socket: Socket) =>
  (socket as Socket & { server?: unknown }).server ? 'client' : socket.remotePort === databasePort ? 'postgresql' : socket.remotePort === upstreamPort ? 'upstream' : 'other';
const { _write: socketWrite, _writev: socketWritev } = Socket.prototype;
Socket.prototype._write = function (this: Socket, ...args: Parameters<Socket['_write']>) {
  writes[destination(this)] += 1;
  return socketWrite.apply(this, args);
};
Socket.prototype._writev = function (this: Socket, ...args: Parameters<NonNullable<Socket['_writev']>>) {
  writes[destination(this)] += 1;
  return socketWritev!.apply(this, args);
};
const { writeSync } = fs;
fs.writeSync = function (fd: number, ...args: unknown[]) {
  if (fd === 1) writes.stdout += 1;
  return (writeSync as (fd: number, ...args: unknown[]) => number)(fd, ...args);
} as typeof fs.writeSync;
/** The statements themselves, kept only while `trace` asks for them (bench/sql-turn.ts); `asSent`: parameters inlined. */
let traced: string[] | null = null;
/** When each traced statement reached the logger (`performance.timeOrigin + performance.now()`; bound statements log as they are sent). */
let tracedAt: number[] = [];
/** The process's CPU (user + system, µs) when each traced statement or moment was recorded: what the server did between two steps. */
let tracedCpu: number[] = [];
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
let traceAsSent = false;
/** Whether a trace also records named moments (`moment` below) among its statements. */
let traceMoments = false;
/** The traced statements with their values apart, as the driver was given them (replayed the same way). */
let tracedBound: { sql: string; params: unknown[] }[] = [];
const runtime = await createApiRuntime({
  target,
  migrate: true,
  log: () => {},
  // After-work jobs run when the benchmark says (`drain`), so their cost is counted apart and no poller runs meanwhile.
  workJobs: false,
  observeQueries: (sql, formatted, params) => {
    if (sql === 'begin') transactions += 1;
    statements += 1;
    // Statements sent bound (directSql) reach the logger with their values apart: inlined here as MikroORM would.
    if (traced) tracedAt.push(performance.timeOrigin + performance.now());
    if (traced) tracedCpu.push(cpuNow());
    if (traced) tracedBound.push({ sql, params: [...(params ?? [])] });
    traced?.push(traceAsSent ? (formatted ?? (params?.length ? runtime.orm.em.getPlatform().formatQuery(sql, [...params]) : sql)) : sql);
  },
});
await seedAndReport(runtime.orm, () => {});
// The global preset some students choose (an admin's, as the catalogue of styles has them).
const globalPreset = await (async () => {
  const em = runtime.orm.em.fork();
  const preset = em.create(Preset, { name: 'Bench: step by step', systemPromptTemplate: 'Explain step by step, {{user.displayName}}.', isGlobal: true, owner: null });
  await em.flush();
  return preset.id;
})();

// Named moments in a trace beside the statements (bench/first-token.ts): when the request
// arrived, the turn's own moments (src/observability/moments.ts) and when the upstream call left.
const moment = (name: string) => {
  if (!traced || !traceMoments) return;
  tracedAt.push(performance.timeOrigin + performance.now());
  tracedCpu.push(cpuNow());
  tracedBound.push({ sql: name, params: [] });
  traced.push(name);
};
subscribe('http.server.request.start', () => moment('(server: request arrived)'));
subscribe(TURN_MOMENTS, (name) => moment(`(server: ${String(name)})`));
// The providers' upstream calls go through node:http (@atrium/ai's upstreamFetch).
subscribe('http.client.request.created', () => moment('(server: upstream request created)'));
subscribe('http.client.request.start', () => moment('(server: upstream request on its socket)'));

// As the web app's production server has it; its request log lines go where bench/children.ts sends stdout.
const app = createAppStack(runtime, { app: 'web', development: false });
// Idle client connections kept as long as the apps' server keeps them (startRemixServer).
const server = keepIdleConnections(app.listen(0, '127.0.0.1'));
await new Promise<void>((resolve) => server.once('listening', resolve));

const profiler = new Session();
/**
 * The peak RSS, sampled every 20 ms only while a phase that reports it runs (from a `stats` with
 * `peak: 'start'` to one with `peak: 'stop'`): each sample costs server CPU (~0.13 ms per turn in
 * a profile), which would otherwise be counted in every turn's CPU.
 */
let peakRss = process.memoryUsage.rss();
let sampler: NodeJS.Timeout | undefined;

type Command =
  | { id: number; type: 'users'; count: number; prefix: string; styles?: BenchStyles }
  | { id: number; type: 'apiKeys'; count: number; prefix: string }
  | { id: number; type: 'stats'; peak?: 'start' | 'stop' }
  | { id: number; type: 'drain' }
  | { id: number; type: 'trace'; on: boolean; asSent?: boolean; moments?: boolean }
  | { id: number; type: 'pages'; conversations: number; messages: number }
  | { id: number; type: 'replay'; statements: { sql: string; params: unknown[] }[]; repeat: number }
  | { id: number; type: 'explain'; statement: string }
  | { id: number; type: 'profileStart' }
  | { id: number; type: 'profileStop' }
  | { id: number; type: 'heapSnapshot'; path: string }
  | { id: number; type: 'close' };

const reply = (id: number, body: Record<string, unknown>) => process.send!({ id, ...body });

process.on('message', (command: Command) => {
  void handle(command).catch((error: unknown) => reply(command.id, { error: String(error) }));
});

async function handle(command: Command) {
  switch (command.type) {
    case 'users':
      return reply(command.id, await makeUsers(command.count, command.prefix, command.styles));
    case 'apiKeys':
      return reply(command.id, { keys: await makeApiKeyHolders(command.count, command.prefix) });
    case 'stats': {
      // A turn is done once its after-work is enqueued (the jobs themselves run on `drain`).
      await afterWorkSettled();
      const cpu = process.cpuUsage();
      const rss = process.memoryUsage.rss();
      const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      // Where the RSS is: V8's heap, memory V8 knows outside it (Buffers, WebAssembly memories), the rest native.
      const memory = { heapUsed, heapTotal, external, arrayBuffers };
      const body = { cpuMicros: cpu.user + cpu.system, systemMicros: cpu.system, rss, peakRss: Math.max(peakRss, rss), statements, transactions, memory, writes: { ...writes } };
      if (command.peak === 'start') {
        peakRss = rss;
        sampler ??= setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20).unref();
      }
      if (command.peak === 'stop') {
        clearInterval(sampler);
        sampler = undefined;
      }
      return reply(command.id, body);
    }
    case 'trace': {
      await afterWorkSettled();
      const sent = traced ?? [];
      const at = tracedAt;
      const cpu = tracedCpu;
      const bound = tracedBound;
      traced = command.on ? [] : null;
      tracedAt = [];
      tracedCpu = [];
      tracedBound = [];
      traceAsSent = command.asSent ?? false;
      traceMoments = command.moments ?? false;
      return reply(command.id, { statements: sent, at, cpu, bound });
    }
    case 'drain':
      await afterWorkSettled();
      return reply(command.id, { ran: await runtime.jobs.drain() });
    case 'pages':
      return reply(command.id, await seedPages(command.conversations, command.messages));
    case 'replay':
      return reply(command.id, { times: await timeStatements(command.statements, command.repeat) });
    case 'explain': {
      const plan = await runtime.orm.em.getConnection().execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${command.statement}`);
      return reply(command.id, { plan: plan.map((row) => row['QUERY PLAN']).join('\n') });
    }
    case 'profileStart':
      // The profiler covers only what the caller measures: no start-up, migrations or seeding.
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
      return reply(command.id, {});
    case 'profileStop': {
      await afterWorkSettled();
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      return reply(command.id, { profile: JSON.stringify(atSources(profile)) });
    }
    case 'heapSnapshot': {
      // Taken after a full collection: what is live. Writing it grows RSS, so later RSS figures are not comparable.
      writeHeapSnapshot(command.path);
      const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      return reply(command.id, { rss: process.memoryUsage.rss(), memory: { heapUsed, heapTotal, external, arrayBuffers } });
    }
    case 'close':
      server.closeAllConnections();
      server.close();
      await runtime.close();
      process.exit(0);
  }
}

/**
 * The profile with this process's compiled code (the bench runs this file compiled, one module
 * with our packages in it) at its sources' files and positions, through the build's source map:
 * so the profile's readers (bench/cpu-profile.ts) tell `@atrium/api` from `@atrium/db`, and a
 * kept profile opens on the sources. The inspector reports generated positions whatever node's
 * --enable-source-maps. Unchanged when this file runs uncompiled (no map beside it).
 */
function atSources(profile: Profiler.Profile): Profiler.Profile {
  const self = import.meta.url;
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(new URL(`${self}.map`), 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return profile;
  }
  for (const { callFrame } of profile.nodes) {
    if (callFrame.url !== self || callFrame.lineNumber < 0) continue;
    const entry = map.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (!('originalSource' in entry)) continue;
    callFrame.url = new URL(entry.originalSource, self).href;
    callFrame.lineNumber = entry.originalLine;
    callFrame.columnNumber = entry.originalColumn;
  }
  return profile;
}

/**
 * Students with a session each: distinct users, so no turn shares a counter row or a cache entry.
 * Each has chosen a style (`styles`; `mixed`: none, their own, the global preset, in turn), which
 * the web app sends with a new conversation's first question (bench/web-send.ts).
 */
async function makeUsers(count: number, prefix: string, styles: BenchStyles = 'mixed') {
  const em = runtime.orm.em.fork();
  const users = Array.from({ length: count }, (_, i) =>
    em.create(User, { username: `${prefix}-${i}`, displayName: `Bench student ${i}`, role: 'student', authSource: 'local', passwordHash: null }),
  );
  const presets = users.map((user, i) => {
    const style = styles === 'mixed' ? mixedStyle(i) : styles;
    if (style === 'none') return null;
    const id =
      style === 'global'
        ? globalPreset
        : em.create(Preset, { name: 'My tutor', systemPromptTemplate: 'Ask me one guiding question before you answer.', isGlobal: false, owner: user.id }).id;
    em.assign(user, { activePreset: id });
    return id;
  });
  await em.flush();
  const tokens: string[] = [];
  for (const user of users) tokens.push((await createSession(em, user, { type: 'active_session' })).token);
  return { tokens, presets };
}

/** Students allowed API keys (their own permission), one key each, for the OpenAI-compatible path. */
async function makeApiKeyHolders(count: number, prefix: string) {
  const em = runtime.orm.em.fork();
  const users = Array.from({ length: count }, (_, i) =>
    em.create(User, {
      username: `${prefix}-${i}`,
      displayName: `Bench API student ${i}`,
      role: 'student',
      authSource: 'local',
      passwordHash: null,
      permissions: { createApiKeys: true },
    }),
  );
  await em.flush();
  const keys: string[] = [];
  for (const user of users) keys.push((await createApiKey(em, user, { name: 'Bench', expiresAt: null }, () => new Date())).key);
  return keys;
}

/**
 * One student with `conversations` conversations and one conversation of `messages` messages,
 * generated in the database; returns their tokens, the conversation and deep cursors.
 */
async function seedPages(conversations: number, messages: number) {
  const [token] = (await makeUsers(1, `pages-${conversations}`, 'none')).tokens;
  const em = runtime.orm.em.fork();
  const [user] = await em.execute<{ id: string }[]>(`select id from users where username = ?`, [`pages-${conversations}-0`]);
  await em.execute(
    `insert into conversations (id, user_id, title, created_at, updated_at)
     select gen_random_uuid(), ?, 'Chat ' || n, now() - make_interval(secs => n), now() - make_interval(secs => n)
     from generate_series(1, ?) as n`,
    [user!.id, conversations],
  );
  const [chat] = await em.execute<{ id: string }[]>(`select id from conversations where user_id = ? order by updated_at desc limit 1`, [user!.id]);
  await em.execute(
    `insert into messages (id, conversation_id, role, content, metadata, created_at)
     select gen_random_uuid(), ?, case when n % 2 = 0 then 'user' else 'assistant' end, 'Message ' || n, '{}', now() - make_interval(secs => n)
     from generate_series(1, ?) as n`,
    [chat!.id, messages],
  );
  // One branch: each message follows the one before it, and the newest is the one in view.
  await em.execute(
    `update messages m set parent_id = o.previous_id
     from (select id, lag(id) over (order by created_at, id) as previous_id from messages where conversation_id = ?) o
     where m.id = o.id and o.previous_id is not null`,
    [chat!.id],
  );
  await em.execute(
    `update conversations set active_leaf_id = (select id from messages where conversation_id = ? order by created_at desc, id desc limit 1) where id = ?`,
    [chat!.id, chat!.id],
  );
  // As autovacuum leaves a table in use: the update above left a dead version of every message
  // (parent_id null) in the indexes, which a page's index scans would otherwise wade through.
  await em.execute('vacuum analyze conversations');
  await em.execute('vacuum analyze messages');
  // The cursor of the row 50 before the end: the deepest full page.
  const [deepConversation] = await em.execute<{ updated_at: Date; id: string }[]>(
    `select updated_at, id from conversations where user_id = ? order by updated_at desc, id desc offset ? limit 1`,
    [user!.id, Math.max(0, conversations - 51)],
  );
  // The message whose page above it is the deepest full page of the branch.
  const [deepMessage] = await em.execute<{ created_at: Date; id: string }[]>(
    `select created_at, id from messages where conversation_id = ? order by created_at desc, id desc offset ? limit 1`,
    [chat!.id, Math.max(0, messages - 51)],
  );
  const [leaf] = await em.execute<{ id: string }[]>(`select active_leaf_id as id from conversations where id = ?`, [chat!.id]);
  return {
    token,
    userId: user!.id,
    conversationId: chat!.id,
    deepConversation: { updatedAt: new Date(deepConversation!.updated_at).toISOString(), id: deepConversation!.id },
    deepMessage: { createdAt: new Date(deepMessage!.created_at).toISOString(), id: deepMessage!.id },
    leafId: leaf!.id,
  };
}

/**
 * The times of a request's statements sent one after the other on the server's own connections,
 * as the request sent them: bound ones (directSql) through directSql again, named and prepared as
 * the request's were; the ORM's as its inlined text. The request's SQL time, each repeat.
 */
async function timeStatements(sent: { sql: string; params: unknown[] }[], repeat: number) {
  const connection = runtime.orm.em.getConnection();
  const direct = directSql(runtime.orm.em.fork());
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    for (const { sql, params } of sent) await (params.length ? direct.execute(sql, params) : connection.execute(sql));
    times.push(performance.now() - started);
  }
  return times;
}

// The benchmark owns this process: when it goes, so does this.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
