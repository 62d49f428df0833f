import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { seed, TokenLease, UsageMonthly, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { startStubUpstream, stubHold, type StubUpstream } from '@atrium/testing/stub';
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../root';
import { startServerProcess, type ServerProcess } from '../../testing/server-processes';
import { INTERRUPTED_MESSAGE } from '../usage/leases.service';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('an answer followed across two server processes, on PostgreSQL', () => {
  let stub: StubUpstream;
  let database: TestDatabase;
  let orm: Orm;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;

  beforeAll(async () => {
    stub = await startStubUpstream();
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    const env = { DATABASE_URL: database.url, DEMO_LLM_BASE_URL: stub.url, LDAP_URL: '', NODE_ENV: 'test', TOKEN_LEASE_SECONDS: '2', JOBS_WORK: 'false' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
    await stub?.close();
  });

  async function student() {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em);
    user.limits = { demo: { monthlyTokenLimit: 100_000 } };
    await em.flush();
    const { token } = await createSession(em, user, { type: 'active_session' });
    const clientOf = (server: ServerProcess) => {
      const options = { url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } };
      return createTRPCClient<AppRouter>({
        links: [splitLink({ condition: (op) => op.type === 'query' || op.path === 'chat.send', true: httpBatchStreamLink(options), false: httpBatchLink(options) })],
      });
    };
    return { user, onA: clientOf(a!), onB: clientOf(b!) };
  }

  /** Sends on A and leaves after the first text, as a reload does; resolves with the conversation. */
  async function startOnA(client: Awaited<ReturnType<typeof student>>['onA'], question: string) {
    const stream = await client.chat.send.mutate({ content: question, modelId: 'demo' });
    for await (const event of stream) if (event.type === 'delta') return event;
    throw new Error('the answer ended before any text');
  }

  /**
   * An answer of `n` words that stops after its first two until a reader on B has attached: on a
   * busy machine a short answer could otherwise end before B asks, and B would find nothing running.
   */
  function scriptHeldAnswer(n: number, chunkDelayMs: number) {
    const untilBAttaches = stubHold(2);
    stub.script({ text: words(n), chunkDelayMs, holds: [untilBAttaches] });
    return untilBAttaches.release;
  }

  async function follow(client: Awaited<ReturnType<typeof student>>['onB'], conversationId: string, onStarted: () => void, onText?: (text: string) => void) {
    let text = '';
    let last: unknown = null;
    for await (const event of await client.chat.attach.query({ conversationId })) {
      if (event.type === 'started') onStarted();
      if (event.type === 'delta') {
        text += event.text;
        onText?.(text);
      } else last = event;
    }
    return { text, last: last as { type: string; status?: string; error?: string; message: { content: string; aborted: boolean } | null } };
  }

  const conversationOf = async (userId: string) => (await orm.em.fork().findOneOrFail(TokenLease, { user: userId })).conversation!.id;

  it('a reader on B gets the whole answer produced on A, once, from one upstream call', async () => {
    const me = await student();
    const release = scriptHeldAnswer(10, 100);
    await startOnA(me.onA, 'Count on A');
    const { text, last } = await follow(me.onB, await conversationOf(me.user.id), release);
    expect(last).toMatchObject({ type: 'finished', status: 'completed', message: { content: words(10).join('') } });
    expect(text).toBe(words(10).join(''));
    expect(stub.requests.filter((request) => JSON.stringify(request.messages).includes('Count on A'))).toHaveLength(1);
  }, 60_000);

  it('a stop pressed on B stops the answer on A; B sees it end as stopped with the text it showed', async () => {
    const me = await student();
    const release = scriptHeldAnswer(40, 100);
    await startOnA(me.onA, 'Count long on A');
    const conversationId = await conversationOf(me.user.id);
    let stopping: Promise<unknown> | null = null;
    const { text, last } = await follow(me.onB, conversationId, release, (sofar) => {
      if (sofar.includes('w3 ')) stopping ??= me.onB.chat.stop.mutate({ conversationId });
    });
    expect(await stopping).toEqual({ stopping: true });
    expect(last).toMatchObject({ type: 'finished', status: 'aborted', message: { aborted: true } });
    expect(last.message!.content).toBe(text);
    expect(text).not.toContain('w39');
  }, 60_000);

  it('when A is killed (-9) mid-answer, B sees the answer end as interrupted and the reservation is released', async () => {
    const me = await student();
    const release = scriptHeldAnswer(60, 150);
    await startOnA(me.onA, 'Count until A dies');
    const conversationId = await conversationOf(me.user.id);
    let killing: Promise<void> | null = null;
    // Killed once A has saved text up to w3 with its lease (it saves as it renews): what B is left with.
    const savedByA = async () => (await orm.em.fork().execute<{ partial_text: string }[]>('select partial_text from token_lease where conversation_id = ?', [conversationId]))[0]?.partial_text ?? '';
    const { text, last } = await follow(me.onB, conversationId, release, (sofar) => {
      if (sofar.includes('w3 ')) {
        killing ??= (async () => {
          await expect.poll(savedByA).toContain('w3 ');
          await a!.stop('SIGKILL');
        })();
      }
    });
    await killing;
    expect(last).toMatchObject({ type: 'finished', status: 'interrupted', message: { content: expect.stringContaining('w3 ') } });
    expect(text.startsWith(last.message!.content)).toBe(true);
    const check = orm.em.fork();
    expect(await check.count(TokenLease, { user: me.user.id })).toBe(0);
    expect((await check.findOneOrFail(UsageMonthly, { user: me.user.id })).reservedTokens).toBe(0);
    // The saved answer sits under its question, shown in the conversation.
    const { items } = await me.onB.chat.messages.query({ conversationId });
    expect(items.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(items[1]).toMatchObject({ error: INTERRUPTED_MESSAGE });
  }, 60_000);
});
