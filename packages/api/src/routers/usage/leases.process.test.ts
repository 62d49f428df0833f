import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Message, seed, TokenLease, UsageDaily, UsageMonthly, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../root';
import { startServerProcess, type ServerProcess } from '../../testing/server-processes';
import { INTERRUPTED_MESSAGE, releaseExpiredLeases } from './leases.service';

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('a server killed mid-answer (kill -9), on PostgreSQL', () => {
  let stub: StubUpstream;
  let database: TestDatabase;
  let orm: Orm;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    stub = await startStubUpstream();
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    server = await startServerProcess({
      DATABASE_URL: database.url,
      DEMO_LLM_BASE_URL: stub.url,
      LDAP_URL: '',
      NODE_ENV: 'test',
      TOKEN_LEASE_SECONDS: '2',
      JOBS_WORK: 'false',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    await stub?.close();
  });

  it('leaves a lease that a sweep on another process releases once it ends, keeping the partial answer as interrupted', async () => {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em);
    user.limits = { demo: { monthlyTokenLimit: 100_000 } };
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: `${server!.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
    });
    const conversation = await client.chat.create.mutate({ title: 'Doomed', modelId: 'demo' });
    stub.script({ text: Array.from({ length: 60 }, (_, i) => `word${i} `), chunkDelayMs: 200 });

    const stream = await client.chat.send.mutate({ conversationId: conversation.id, content: 'Say sixty words slowly.', modelId: 'demo' });
    let received = '';
    const reading = (async () => {
      try {
        for await (const event of stream) if (event.type === 'delta') received += event.text;
      } catch {
        // The server died under the reader: that is the point.
      }
    })();
    // The lease carries the partial text once the turn has renewed it.
    await expect.poll(async () => (await orm.em.fork().findOne(TokenLease, { user: user.id }))?.partialText ?? '').toMatch(/word2 /);
    expect((await orm.em.fork().findOneOrFail(UsageMonthly, { user: user.id })).reservedTokens).toBeGreaterThan(0);

    await server!.stop('SIGKILL');
    await reading;
    const partial = (await orm.em.fork().findOneOrFail(TokenLease, { user: user.id })).partialText;
    expect(received.startsWith(partial)).toBe(true);

    // Any process sweeps; the lease is released only after it ran out (2 s after its last renewal).
    await expect.poll(() => releaseExpiredLeases(orm.em.fork(), new Date())).toBe(1);

    const check = orm.em.fork();
    expect(await check.count(TokenLease, { user: user.id })).toBe(0);
    const monthly = await check.findOneOrFail(UsageMonthly, { user: user.id });
    expect(monthly.reservedTokens).toBe(0);
    expect(monthly.tokens).toBeGreaterThan(0);
    const interrupted = await check.findOneOrFail(Message, { conversation: conversation.id, role: 'assistant' });
    expect(interrupted.content).toBe(partial);
    expect(interrupted.metadata).toMatchObject({ interrupted: true, usageEstimated: true, error: INTERRUPTED_MESSAGE });
    const daily = await check.findOneOrFail(UsageDaily, { user: user.id });
    expect(daily).toMatchObject({ requests: 1, estimatedTokens: monthly.tokens });
  }, 120_000);
});
