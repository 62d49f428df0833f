import { AnswerCache, AuditEvent, Model, UsageDaily } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Caller = ReturnType<ApiTestKit['callerFor']>;
type SendEvent = Awaited<ReturnType<Caller['chat']['send']>> extends AsyncIterable<infer E> ? E : never;

const MODEL_ID = 'local-test';

describe('the answer cache', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', {
      config: { providers: { local: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } },
    });
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: MODEL_ID, provider: 'local', providerModelId: 'llama3', displayName: 'Local engine' });
    await em.flush();
  });
  beforeEach(async () => {
    stub.reset();
    const admin = await kit.signedIn('admin');
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: false });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  const entries = (where: object = {}) => kit.db.orm.em.fork().find(AnswerCache, where);

  /** Sends a message and waits until the turn's after-work (storing, counting, summary, title) is done. */
  async function ask(
    user: { user: Parameters<ApiTestKit['callerFor']>[0] },
    content: string,
    options: { conversationId?: string; presetId?: string } = {},
  ) {
    const caller = kit.callerFor(user.user);
    const events: SendEvent[] = [];
    for await (const event of await caller.chat.send({ content, modelId: MODEL_ID, ...options })) events.push(event);
    const started = events[0] as Extract<SendEvent, { type: 'started' }>;
    const last = events.at(-1) as Extract<SendEvent, { type: 'finished' }>;
    await kit.afterWork();
    await stub.settled();
    return {
      conversationId: started.conversation.id,
      deltas: events.filter((event) => event.type === 'delta').map((event) => (event as { text: string }).text),
      message: last.message!,
    };
  }
  const answerRequests = () => stub.requests.filter((request) => request.stream);

  it('serves a repeated first question instantly, without an upstream call, marked and metered as a hit', async () => {
    const me = await kit.signedIn();
    stub.script({
      text: 'Plants turn light, water and carbon dioxide into sugar and oxygen.',
      usage: { promptTokens: 100, completionTokens: 20 },
    });
    const first = await ask(me, 'What is photosynthesis?');
    expect(first.message.cacheHit).toBe(false);
    expect(await entries({ user: me.user.id })).toHaveLength(1);
    const requestsBefore = stub.requests.length;

    const again = await ask(me, '  what is   PHOTOSYNTHESIS? ');
    expect(stub.requests).toHaveLength(requestsBefore);
    expect(again.message).toMatchObject({
      cacheHit: true,
      content: first.message.content,
      usage: null,
    });
    expect(again.deltas.length).toBeGreaterThan(1);
    expect(again.deltas.join('')).toBe(first.message.content);
    // Titled from the question: no title call either.
    expect((await kit.callerFor(me.user).chat.get({ id: again.conversationId })).title).toBe('what is PHOTOSYNTHESIS?');

    const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: MODEL_ID });
    expect(usage).toMatchObject({ requests: 1, cacheHits: 1 });
    expect((await entries({ user: me.user.id }))[0]!.hits).toBe(1);
  });

  it('answers a follow-up from the model even when the same text was asked before', async () => {
    const me = await kit.signedIn();
    const first = await ask(me, 'Define entropy');
    await ask(me, 'Define entropy', { conversationId: first.conversationId });
    expect(answerRequests()).toHaveLength(2);
    const messages = await kit.callerFor(me.user).chat.messages({ conversationId: first.conversationId });
    expect(messages.items.filter((message) => message.cacheHit)).toHaveLength(0);
  });

  it('does not serve an expired answer', async () => {
    const admin = await kit.signedIn('admin');
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 60, shared: false });
    const me = await kit.signedIn();
    await ask(me, 'What is a monad?');
    kit.clock.advance(61_000);
    const later = await ask(me, 'What is a monad?');
    expect(later.message.cacheHit).toBe(false);
    expect(answerRequests()).toHaveLength(2);
  });

  it('stops serving answers made under an older identity or an edited preset', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const preset = await kit
      .callerFor(me.user)
      .presets.create({ name: 'Brief', systemPromptTemplate: 'Answer in one sentence.' });

    await ask(me, 'Why is the sky blue?', { presetId: preset.id });
    expect((await ask(me, 'Why is the sky blue?', { presetId: preset.id })).message.cacheHit).toBe(true);

    await kit.callerFor(me.user).presets.update({ id: preset.id, changes: { description: 'Edited' } });
    expect((await ask(me, 'Why is the sky blue?', { presetId: preset.id })).message.cacheHit).toBe(false);
    expect((await ask(me, 'Why is the sky blue?', { presetId: preset.id })).message.cacheHit).toBe(true);

    const identity = await admin.caller.identity.get();
    await admin.caller.identity.set({ ...identity, shortIntro: { ...identity.shortIntro, en: 'A new introduction.' } });
    expect((await ask(me, 'Why is the sky blue?', { presetId: preset.id })).message.cacheHit).toBe(false);
    expect(answerRequests()).toHaveLength(3);
  });

  it("never serves one user's answer to another unless sharing is on", async () => {
    const admin = await kit.signedIn('admin');
    const alice = await kit.signedIn();
    const bob = await kit.signedIn();
    await ask(alice, 'What is a prime number?');
    expect((await ask(bob, 'What is a prime number?')).message.cacheHit).toBe(false);
    expect(answerRequests()).toHaveLength(2);

    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: true });
    await ask(alice, 'What is a composite number?');
    expect(await entries({ question: 'What is a composite number?' })).toMatchObject([{ user: null }]);
    expect((await ask(bob, 'What is a composite number?')).message.cacheHit).toBe(true);
    expect(answerRequests()).toHaveLength(3);

    // Turning sharing off stops serving shared entries.
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: false });
    expect((await ask(bob, 'What is a composite number?')).message.cacheHit).toBe(false);
  });

  it('keeps personal prompts apart: an answer shaped by my memory is not served once the memory changes', async () => {
    const me = await kit.signedIn();
    const memory = await kit.callerFor(me.user).preferences.create({ key: 'Name', value: 'Ayşe' });
    await ask(me, 'Say hello to me');
    expect((await ask(me, 'Say hello to me')).message.cacheHit).toBe(true);
    await kit.callerFor(me.user).preferences.setActive({ id: memory.id, isActive: false });
    expect((await ask(me, 'Say hello to me')).message.cacheHit).toBe(false);
  });

  it('stores nothing for a failed answer, and nothing while the cache is off', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    stub.script({ status: 500 });
    const caller = kit.callerFor(me.user);
    for await (const event of await caller.chat.send({ content: 'Will this fail?', modelId: MODEL_ID })) void event;
    await kit.afterWork();
    await admin.caller.cache.updateSettings({ enabled: false, ttlSeconds: 3600, shared: false });
    await ask(me, 'Is the cache off?');
    expect((await ask(me, 'Is the cache off?')).message.cacheHit).toBe(false);
    expect(await entries({ user: me.user.id })).toHaveLength(0);
  });

  it('gives admins statistics, validated settings and an audited purge', async () => {
    const admin = await kit.signedIn('admin');
    await expect(
      admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 5, shared: false }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await admin.caller.cache.settings()).toMatchObject({ enabled: true, ttlSeconds: 3600, shared: false });

    const me = await kit.signedIn();
    await ask(me, 'What is a vector space?');
    await ask(me, 'What is a vector space?');
    const stats = await admin.caller.cache.stats();
    expect(stats.entries.live).toBeGreaterThanOrEqual(1);
    expect(stats.entries.hits).toBeGreaterThanOrEqual(1);
    expect(stats.period.cacheHits).toBeGreaterThanOrEqual(1);
    expect(stats.period.hitRate).toBeCloseTo(
      stats.period.cacheHits / (stats.period.cacheHits + stats.period.upstreamRequests),
    );

    kit.clock.advance(3601_000);
    const live = (await admin.caller.cache.stats()).entries;
    expect(live.live).toBe(0);
    expect(await admin.caller.cache.purge({ scope: 'expired' })).toEqual({ deleted: live.total });
    await ask(me, 'What is a group?');
    expect(await admin.caller.cache.purge({ scope: 'all' })).toEqual({ deleted: 1 });
    expect(await entries()).toHaveLength(0);
    const audits = await kit.db.orm.em
      .fork()
      .find(AuditEvent, { action: 'cache.purge' }, { orderBy: { createdAt: 'asc' } });
    expect(audits.map((audit) => audit.data)).toEqual([
      { scope: 'expired', deleted: live.total },
      { scope: 'all', deleted: 1 },
    ]);
  });
});
