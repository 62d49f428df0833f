import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { seed, UsageDaily, UsageMonthly, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../root';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverProcessArgs } from '../../testing/server-processes';

/** A script's client: bearer token, answers streamed. */
const clientFor = (url: string, token: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchStreamLink({ url: `${url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });

/** One API server process; resolves once it listens. */
async function startServerProcess(env: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, await serverProcessArgs(), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /listening (\S+)/.exec(output);
    if (match) return { url: match[1]!, process: child };
  }
  throw new Error(`server process exited before listening: ${output}`);
}

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('limits under concurrency: two server processes, one PostgreSQL', () => {
  let stub: StubUpstream;
  let database: TestDatabase;
  let orm: Orm;
  let servers: { url: string; process: ChildProcess }[] = [];

  beforeAll(async () => {
    stub = await startStubUpstream();
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    const env = { DATABASE_URL: database.url, DEMO_LLM_BASE_URL: stub.url, LDAP_URL: '', NODE_ENV: 'test' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) {
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
    }
    await database?.close();
    await stub?.close();
  });

  /** A student signed in on both servers, with one titled conversation per request (no title calls). */
  async function studentWith(limits: { dailyRequestLimit?: number | null; monthlyTokenLimit?: number | null }, conversations: number) {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em);
    user.limits = { demo: limits };
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    const clients = servers.map((server) => clientFor(server.url, token));
    const ids = await Promise.all(
      Array.from({ length: conversations }, (_, i) => clients[i % 2]!.chat.create.mutate({ title: `Race ${i}`, modelId: 'demo' })),
    );
    return { user, clients, conversationIds: ids.map((conversation) => conversation.id) };
  }

  /** Fires every request at once, alternating servers; counts the admitted and the refused. */
  async function race(clients: ReturnType<typeof clientFor>[], conversationIds: string[]) {
    const outcomes = await Promise.all(
      conversationIds.map(async (conversationId, i) => {
        try {
          const stream = await clients[i % 2]!.chat.send.mutate({ conversationId, content: `Question number ${i}, please answer.`, modelId: 'demo' });
          let last: { type: string } | undefined;
          for await (const event of stream) last = event;
          return last?.type ?? 'none';
        } catch (error) {
          return (error as { data?: { code?: string } }).data?.code ?? String(error);
        }
      }),
    );
    return {
      finished: outcomes.filter((outcome) => outcome === 'finished').length,
      refused: outcomes.filter((outcome) => outcome === 'TOO_MANY_REQUESTS').length,
      other: outcomes.filter((outcome) => outcome !== 'finished' && outcome !== 'TOO_MANY_REQUESTS'),
    };
  }

  it('admits exactly 1 of 50 parallel sends when 1 request is left today', async () => {
    stub.reset();
    const { user, clients, conversationIds } = await studentWith({ dailyRequestLimit: 1 }, 50);
    stub.script(...Array.from({ length: 50 }, () => ({ text: 'A short answer.', chunkDelayMs: 5 })));
    const result = await race(clients, conversationIds);
    expect(result).toEqual({ finished: 1, refused: 49, other: [] });
    await stub.settled();
    expect(stub.requests).toHaveLength(1);
    const usage = await orm.em.fork().find(UsageDaily, { user: user.id });
    expect(usage.map((row) => row.requests)).toEqual([1]);
  }, 120_000);

  it('never lets a monthly token budget be overrun, and settles exactly what the provider reported', async () => {
    stub.reset();
    const budget = 12_000;
    const { user, clients, conversationIds } = await studentWith({ monthlyTokenLimit: budget }, 40);
    const longAnswer = 'Tokens are counted exactly as the provider reports them. '.repeat(40);
    stub.script(...Array.from({ length: 40 }, () => ({ text: longAnswer, chunkDelayMs: 2 })));
    const result = await race(clients, conversationIds);
    expect(result.other).toEqual([]);
    expect(result.finished).toBeGreaterThan(0);
    expect(result.finished + result.refused).toBe(40);
    await stub.settled();

    const reported = stub.requests.reduce((sum, request) => sum + request.usage!.promptTokens + request.usage!.completionTokens, 0);
    const em = orm.em.fork();
    const monthly = await em.findOneOrFail(UsageMonthly, { user: user.id, model: 'demo' });
    const daily = await em.find(UsageDaily, { user: user.id });
    const settledDaily = daily.reduce((sum, row) => sum + row.promptTokens + row.completionTokens, 0);
    expect(monthly.reservedTokens).toBe(0);
    expect(monthly.tokens).toBe(reported);
    expect(settledDaily).toBe(reported);
    expect(monthly.tokens).toBeLessThanOrEqual(budget);
    expect(stub.requests).toHaveLength(result.finished);
  }, 120_000);
});
