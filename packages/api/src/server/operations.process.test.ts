import { createServer } from 'node:net';
import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Message, seed, TokenLease, UsageMonthly, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { startServerProcess, type ServerProcess } from '../testing/server-processes';

/** Prometheus text → `name{labels}` → value, labels in the order the registry writes them. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** The value of the one series of `name` whose labels include all of `labels`. */
function sample(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const [series, value] of metrics) {
    const [seriesName, rest = ''] = series.split('{');
    if (seriesName === name && wanted.every((label) => rest.includes(label))) return value;
  }
  return undefined;
}

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Reads a streamed procedure to its end; its errors (a refusal) surface here. */
async function readAll<T>(stream: Promise<AsyncIterable<T>>) {
  const events: T[] = [];
  for await (const event of await stream) events.push(event);
  return events;
}

const logLines = (server: ServerProcess) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

// A server process of its own against a PostgreSQL database, as a deployment runs it.
describe.runIf(process.env.TEST_DATABASE_URL)('a server process: logs, metrics, readiness and graceful shutdown (PostgreSQL)', () => {
  let stub: StubUpstream;
  let database: TestDatabase;
  let orm: Orm;
  const servers: ServerProcess[] = [];

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    DEMO_LLM_BASE_URL: stub.url,
    LDAP_URL: '',
    NODE_ENV: 'production',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    JOBS_WORK: 'false',
    ...extra,
  });
  const start = async (extra: Record<string, string> = {}) => {
    const server = await startServerProcess(env(extra));
    servers.push(server);
    return server;
  };

  async function student(monthlyTokenLimit = 100_000, dailyRequestLimit: number | null = null) {
    const em = orm.em.fork();
    const { user, password } = await makeLocalUser(em);
    user.limits = { demo: { monthlyTokenLimit, ...(dailyRequestLimit === null ? {} : { dailyRequestLimit }) } };
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    return { user, password, token };
  }

  const clientFor = (server: ServerProcess, token: string) =>
    createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
    });

  beforeAll(async () => {
    stub = await startStubUpstream();
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    // Summaries due from the first answer: a turn enqueues its summary job only when one is due.
    await orm.em.fork().execute('update summary_settings set first_threshold = 2');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await database?.close();
    await stub?.close();
  });

  describe('a running server', () => {
    let server: ServerProcess;
    let metricsPort: number;
    const metricsToken = 'metrics-token-for-the-test-0123';

    beforeAll(async () => {
      metricsPort = await freePort();
      server = await start({ METRICS_TOKEN: metricsToken, METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' });
    }, 60_000);

    it('logs each request as one JSON line with its id, user, procedure, status and latency, and none of the secrets it carried', async () => {
      const { user, password, token } = await student();
      // A sign-in with a password in the body, a cookie, an API key and a token in the query string.
      const apiKey = 'atr_thisisnotarealkeybutlookslikeone0123';
      const login = await fetch(`${server.url}/api/trpc/auth.signIn?token=query-secret-0123`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: 'atrium_session=cookie-secret-0123',
          'x-request-id': 'req-login-1',
          'x-api-key': apiKey,
        },
        body: JSON.stringify({ json: { username: user.username, password, rememberMe: false } }),
      });
      expect(login.status).toBe(200);
      const signedInToken = ((await login.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
      expect(login.headers.get('x-request-id')).toBe('req-login-1');
      const me = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-me-1' } });
      expect(me.status).toBe(200);
      const refused = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(refused.status).toBe(401);

      await expect.poll(() => logLines(server).some((line) => (line.req as { url?: string } | undefined)?.url === '/v1/models')).toBe(true);
      const lines = logLines(server);
      const meLine = lines.find((line) => (line.req as { id?: string } | undefined)?.id === 'req-me-1')!;
      expect(meLine).toMatchObject({
        level: 'info',
        userId: user.id,
        procedure: 'auth.me',
        req: { method: 'GET', url: '/api/trpc/auth.me' },
        res: { status: 200 },
      });
      expect(meLine.responseTime).toEqual(expect.any(Number));
      const loginLine = lines.find((line) => (line.req as { id?: string } | undefined)?.id === 'req-login-1')!;
      expect(loginLine).toMatchObject({ procedure: 'auth.signIn', res: { status: 200 }, req: { url: '/api/trpc/auth.signIn?token=[redacted]' } });
      expect(lines.find((line) => (line.req as { url?: string } | undefined)?.url === '/v1/models')).toMatchObject({ level: 'warn', res: { status: 401 } });

      const everything = server.output();
      for (const secret of [password, token, signedInToken, apiKey, 'cookie-secret-0123', 'query-secret-0123']) expect(everything).not.toContain(secret);
    });

    it('serves metrics with real values after chat turns: on its own port, and behind the token on the app port', async () => {
      const { token } = await student(100_000, 1);
      const client = clientFor(server, token);
      const conversation = await client.chat.create.mutate({ title: 'Measured', modelId: 'demo' });
      // An upstream refusal first (a failed answer gives its request back), then an answer, then a turn over the daily limit of one.
      stub.script({ status: 429 });
      await readAll(client.chat.send.mutate({ conversationId: conversation.id, content: 'Hello?', modelId: 'demo' }));
      stub.script({ text: ['one ', 'two ', 'three ', 'four'], delayMs: 120, chunkDelayMs: 30 });
      const events = await readAll(client.chat.send.mutate({ conversationId: conversation.id, content: 'Count to four.', modelId: 'demo' }));
      expect(events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('')).toBe('one two three four');
      await expect(readAll(client.chat.send.mutate({ conversationId: conversation.id, content: 'Once more.', modelId: 'demo' }))).rejects.toThrow(
        /requests/,
      );
      expect(await orm.em.fork().count(Message, { conversation: conversation.id, role: 'assistant' })).toBe(1);

      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const behindToken = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(behindToken.status).toBe(200);
      const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(own.headers.get('content-type')).toMatch(/^text\/plain/);
      const metrics = parseMetrics(await own.text());

      expect(sample(metrics, 'atrium_answer_first_token_seconds_count', { model: 'demo' })).toBe(1);
      // The stub waited 120 ms before the first word.
      expect(sample(metrics, 'atrium_answer_first_token_seconds_sum', { model: 'demo' })).toBeGreaterThanOrEqual(0.1);
      expect(sample(metrics, 'atrium_answer_duration_seconds_count', { model: 'demo', status: 'completed' })).toBe(1);
      expect(sample(metrics, 'atrium_answer_duration_seconds_count', { model: 'demo', status: 'failed' })).toBe(1);
      expect(sample(metrics, 'atrium_answer_tokens_per_second_count', { model: 'demo' })).toBe(1);
      expect(sample(metrics, 'atrium_answer_tokens_per_second_sum', { model: 'demo' })).toBeGreaterThan(0);
      expect(sample(metrics, 'atrium_upstream_errors_total', { model: 'demo', kind: 'rate-limited' })).toBe(1);
      expect(sample(metrics, 'atrium_admissions_refused_total', { reason: 'dailyRequests' })).toBe(1);
      expect(sample(metrics, 'atrium_active_streams')).toBe(0);
      expect(sample(metrics, 'atrium_http_request_duration_seconds_count', { route: 'trpc:chat.send', status: '200' })).toBeGreaterThanOrEqual(2);
      expect(sample(metrics, 'atrium_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      expect(sample(metrics, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      // This process only enqueues (JOBS_WORK=false): the answered turn's summary job waits in the
      // queue. The turn enqueues it after its stream has ended, so a scrape may come first.
      const queuedSummaries = async () => sample(parseMetrics(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()), 'atrium_jobs', { name: 'chat.summary', state: 'queued' });
      await expect.poll(queuedSummaries).toBeGreaterThanOrEqual(1);
    });

    it('is alive and ready', async () => {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'up' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { database: true, migrations: true, jobs: true, accepting: true } });
    });
  });

  it('on SIGTERM mid-answer: readiness turns false while the listener is open, new turns are refused, the answer finishes, then the process exits 0', async () => {
    const server = await start({ SHUTDOWN_DELAY_SECONDS: '1', SHUTDOWN_DRAIN_SECONDS: '20' });
    const { user, token } = await student();
    const client = clientFor(server, token);
    const conversation = await client.chat.create.mutate({ title: 'Finishing', modelId: 'demo' });
    const words = Array.from({ length: 20 }, (_, i) => `w${i} `);
    stub.script({ text: words, chunkDelayMs: 100 });
    const events: { type: string; text?: string; status?: string }[] = [];
    const reading = (async () => {
      for await (const event of await client.chat.send.mutate({ conversationId: conversation.id, content: 'Twenty words.', modelId: 'demo' })) {
        events.push(event as (typeof events)[number]);
      }
    })();
    await expect.poll(() => events.filter((event) => event.type === 'delta').length).toBeGreaterThan(0);

    server.process.kill('SIGTERM');
    // Readiness is false at once; the listener still answers during the delay.
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ ready: false, checks: { accepting: false } });
    await expect(readAll(client.chat.send.mutate({ conversationId: conversation.id, content: 'Another.', modelId: 'demo' }))).rejects.toMatchObject({
      data: { code: 'SERVICE_UNAVAILABLE' },
    });

    await reading;
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    expect(events.filter((event) => event.type === 'delta').map((event) => event.text).join('')).toBe(words.join(''));
    expect(await server.exited).toBe(0);

    const em = orm.em.fork();
    const answer = await em.findOneOrFail(Message, { conversation: conversation.id, role: 'assistant' });
    expect(answer.content).toBe(words.join(''));
    expect(await em.count(TokenLease, { user: user.id })).toBe(0);
    expect((await em.findOneOrFail(UsageMonthly, { user: user.id })).reservedTokens).toBe(0);
    const lines = logLines(server).map((line) => line.msg);
    expect(lines).toEqual(expect.arrayContaining(['stopping: not ready, new turns refused', 'stopping: running answers ended', 'stopped']));
  }, 60_000);

  it('on SIGTERM with an answer longer than the drain deadline: stops it cleanly, keeping the partial text and settling usage', async () => {
    const server = await start({ SHUTDOWN_DRAIN_SECONDS: '1' });
    const { user, token } = await student();
    const client = clientFor(server, token);
    const conversation = await client.chat.create.mutate({ title: 'Cut short', modelId: 'demo' });
    stub.script({ text: Array.from({ length: 100 }, (_, i) => `x${i} `), chunkDelayMs: 100 });
    const events: { type: string; text?: string; status?: string }[] = [];
    const reading = (async () => {
      for await (const event of await client.chat.send.mutate({ conversationId: conversation.id, content: 'A hundred words.', modelId: 'demo' })) {
        events.push(event as (typeof events)[number]);
      }
    })();
    await expect.poll(() => events.filter((event) => event.type === 'delta').length).toBeGreaterThan(0);
    const signalledAt = Date.now();
    server.process.kill('SIGTERM');
    await reading;
    expect(await server.exited).toBe(0);
    // One second of drain, not the ten seconds the answer would have taken.
    expect(Date.now() - signalledAt).toBeLessThan(8_000);

    const received = events.filter((event) => event.type === 'delta').map((event) => event.text).join('');
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'aborted' });
    const em = orm.em.fork();
    const answer = await em.findOneOrFail(Message, { conversation: conversation.id, role: 'assistant' });
    expect(answer.content).toBe(received);
    expect(answer.content.length).toBeGreaterThan(0);
    expect(answer.metadata).toMatchObject({ aborted: true });
    const monthly = await em.findOneOrFail(UsageMonthly, { user: user.id });
    expect(monthly.reservedTokens).toBe(0);
    expect(monthly.tokens).toBeGreaterThan(0);
    expect(await em.count(TokenLease, { user: user.id })).toBe(0);
  }, 60_000);
});
