import { Conversation, Message, Model, UsageDaily, UsageMonthly } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { writePlain } from '../../transformer';

type SendStream = Awaited<ReturnType<ReturnType<ApiTestKit['anonymous']>['chat']['send']>>;
type Events = SendStream extends AsyncIterable<infer E> ? E[] : never;
async function collect(stream: AsyncIterable<Events[number]>) {
  const events: Events = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('chat.send against the stub upstream over real HTTP', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', {
      config: {
        providers: {
          demo: { baseURL: stub.url },
          groq: { apiKey: 'test-key', baseURL: stub.groqUrl },
          openai: { apiKey: 'test-key', baseURL: stub.url },
          local: { baseURL: stub.url },
        },
        // Long enough that a loaded machine never trips it; the hang test waits this out once.
        llm: { timeoutMs: 5000 },
      },
    });
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: 'groq-test', provider: 'groq', providerModelId: 'llama-test', displayName: 'Groq test', inputPricePerMTok: 1, outputPricePerMTok: 2 });
    em.create(Model, { id: 'openai-responses', provider: 'openai', providerModelId: 'gpt-test', displayName: 'OpenAI (Responses)' });
    em.create(Model, { id: 'openai-chat', provider: 'openai', providerModelId: 'chat:gpt-test', displayName: 'OpenAI (Chat)' });
    em.create(Model, { id: 'local-test', provider: 'local', providerModelId: 'llama3', displayName: 'Local engine' });
    await em.flush();
  });
  // After-work (titles, cache, summaries) of one test must not take the next test's scripted replies.
  beforeEach(async () => {
    await kit.afterWork();
    stub.reset();
  });
  /** The answer request for a question (title requests go to the same stub). */
  const answerRequest = (question: string) =>
    stub.requests.find((request) => JSON.stringify(request.messages).includes(question) && !JSON.stringify(request.messages).includes('title'));
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  it.each(['demo', 'groq-test', 'openai-responses', 'openai-chat', 'local-test'])(
    'streams %s in order, saves both messages and records exactly the reported usage',
    async (modelId) => {
      const me = await kit.signedIn();
      stub.script({ text: ['Photo', 'synthesis ', 'turns light ', 'into sugar.'], usage: { promptTokens: 321, completionTokens: 17 } });
      const events = await collect(await me.caller.chat.send({ content: 'What is photosynthesis?', modelId }));

      expect(events[0]).toMatchObject({ type: 'started', model: { id: modelId }, userMessage: { role: 'user', content: 'What is photosynthesis?' } });
      // Every event goes out through the one-pass writer, none through superjson's own walk (a Date shared between two fields would).
      for (const event of events) expect(writePlain(event)).not.toBeNull();
      expect(events.filter((event) => event.type === 'delta').map((event) => (event as { text: string }).text)).toEqual([
        'Photo',
        'synthesis ',
        'turns light ',
        'into sugar.',
      ]);
      const last = events.at(-1)!;
      expect(last).toMatchObject({ type: 'finished', status: 'completed', message: { role: 'assistant', content: 'Photosynthesis turns light into sugar.', model: modelId } });

      const conversationId = (events[0] as { conversation: { id: string } }).conversation.id;
      const stored = await me.caller.chat.messages({ conversationId });
      expect(stored.items.map((message) => [message.role, message.content])).toEqual([
        ['user', 'What is photosynthesis?'],
        ['assistant', 'Photosynthesis turns light into sugar.'],
      ]);
      // The stub was sent the system prompt with the assistant's identity.
      expect(JSON.stringify(answerRequest('What is photosynthesis?')!.messages)).toContain('Atrium');
      // The conversation is named after its first exchange, in the background; that call is metered too.
      await kit.afterWork();
      expect((await me.caller.chat.get({ id: conversationId })).title).not.toBe('New chat');
      await stub.settled();
      const reported = stub.requests.reduce(
        (sum, request) => ({ prompt: sum.prompt + (request.usage?.promptTokens ?? 0), completion: sum.completion + (request.usage?.completionTokens ?? 0) }),
        { prompt: 0, completion: 0 },
      );
      await expect
        .poll(async () => {
          const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: modelId });
          return { requests: usage.requests, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens };
        })
        .toEqual({ requests: 1, promptTokens: reported.prompt, completionTokens: reported.completion });
      if (modelId === 'groq-test') {
        const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: modelId });
        expect(usage.costMicros).toBe(reported.prompt * 1 + reported.completion * 2);
      }
    },
  );

  it('ends with the conversation as its list shows it and the quota as usage.mine does, so the page needs no fetch', async () => {
    const me = await kit.signedIn();
    stub.script({ text: ['Mitochondria.'], usage: { promptTokens: 40, completionTokens: 3 } });
    const first = await collect(await me.caller.chat.send({ content: 'What is the powerhouse of the cell?', modelId: 'groq-test' }));
    const conversationId = (first[0] as { conversation: { id: string } }).conversation.id;
    // The title's call is metered after the turn: the follow-up below is compared without it in flight.
    await kit.afterWork();

    stub.script({ text: ['It makes ', 'ATP.'], usage: { promptTokens: 90, completionTokens: 5 } });
    const events = await collect(await me.caller.chat.send({ conversationId, content: 'And what does it make?' }));
    const finished = events.at(-1) as Extract<Events[number], { type: 'finished' }>;
    expect(finished.type).toBe('finished');
    const listed = (await me.caller.chat.conversations({ limit: 10 })).items.find((item) => item.id === conversationId);
    expect(finished.conversation).toEqual(listed);
    expect(finished.conversation).toMatchObject({ activeLeafId: finished.message!.id });
    const quota = (await me.caller.usage.mine()).find((row) => row.model.id === 'groq-test');
    expect(finished.quota).toEqual(quota);
    // Both answers' tokens, and the title's (metered after the first).
    expect(finished.quota?.today.requests).toBe(2);
    expect(finished.quota?.month.tokens).toBeGreaterThan(40 + 3 + 90 + 5);
  });

  it('strips U+0000 from model output, so the answer and its title are saved and shown without it', async () => {
    const me = await kit.signedIn();
    // PostgreSQL text cannot hold NUL: the stub's answer and the title reply both carry some.
    stub.script({ text: ['Null\u0000 ', '\u0000', 'bytes\u0000 are gone.'] }, { text: 'Null\u0000 bytes' });
    const events = await collect(await me.caller.chat.send({ content: 'Send me a NUL', modelId: 'local-test' }));
    const deltas = events.filter((event) => event.type === 'delta').map((event) => (event as { text: string }).text);
    expect(deltas.join('')).toBe('Null bytes are gone.');
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed', message: { content: 'Null bytes are gone.' } });

    const conversationId = (events[0] as { conversation: { id: string } }).conversation.id;
    const stored = await kit.db.orm.em.fork().find(Message, { conversation: conversationId, role: 'assistant' });
    expect(stored.map((message) => message.content)).toEqual(['Null bytes are gone.']);
    await kit.afterWork();
    expect((await kit.db.orm.em.fork().findOneOrFail(Conversation, conversationId)).title).toBe('Null bytes');
  });

  it('delivers the first delta before the upstream has finished sending', async () => {
    const me = await kit.signedIn();
    stub.script({ text: ['one ', 'two ', 'three ', 'four ', 'five'], chunkDelayMs: 150 });
    const stream = await me.caller.chat.send({ content: 'Count to five', modelId: 'local-test' });
    let chunksSentAtFirstDelta: number | null = null;
    for await (const event of stream) {
      if (event.type === 'delta' && chunksSentAtFirstDelta === null) chunksSentAtFirstDelta = answerRequest('Count to five')!.chunksSent;
    }
    expect(chunksSentAtFirstDelta).not.toBeNull();
    expect(chunksSentAtFirstDelta!).toBeLessThan(5);
  });

  it('has sent the question upstream by the time it tells the client the turn started', async () => {
    const me = await kit.signedIn();
    // A first exchange leaves a kept-alive connection to the upstream (and the title written).
    const first = await collect(await me.caller.chat.send({ content: 'Is the connection warm?', modelId: 'local-test' }));
    const conversationId = (first[0] as { conversation: { id: string } }).conversation.id;
    await kit.afterWork();
    let askedAtStarted: boolean | null = null;
    for await (const event of await me.caller.chat.send({ conversationId, content: 'Which comes first?', modelId: 'local-test' })) {
      if (event.type === 'started') askedAtStarted = answerRequest('Which comes first?') !== undefined;
    }
    expect(askedAtStarted).toBe(true);
  });

  it('goes on when the caller leaves, and stops on chat.stop: the upstream connection closes and the partial answer is kept, marked aborted', async () => {
    const me = await kit.signedIn();
    const controller = new AbortController();
    stub.script({ text: ['Partial ', 'answer ', 'that ', 'never ', 'ends ', 'well'], chunkDelayMs: 200 });
    const caller = kit.callerFor(me.user, { signal: controller.signal });
    const stream = await caller.chat.send({ content: 'Tell me a long story', modelId: 'openai-chat' });
    let conversationId = '';
    let deltas = 0;
    // The reader leaving (a reload) does not stop the answer.
    for await (const event of stream) {
      if (event.type === 'started') conversationId = event.conversation.id;
      if (event.type === 'delta' && ++deltas === 2) break;
    }
    controller.abort();
    await expect.poll(() => answerRequest('Tell me a long story')!.chunksSent).toBeGreaterThanOrEqual(3);
    expect(answerRequest('Tell me a long story')!.closedEarly).toBe(false);
    expect(await me.caller.chat.stop({ conversationId })).toEqual({ stopping: true });
    await stub.settled();
    expect(answerRequest('Tell me a long story')!.closedEarly).toBe(true);
    await expect.poll(async () => (await me.caller.chat.messages({ conversationId })).items.length).toBe(2);
    const [, answer] = (await me.caller.chat.messages({ conversationId })).items;
    expect(answer).toMatchObject({ role: 'assistant', aborted: true });
    expect(answer!.content.startsWith('Partial answer')).toBe(true);
    expect(answer!.content).not.toContain('well');
  });

  it.each([
    [{ status: 429, retryAfterSeconds: 3 }, /rate-limiting/],
    [{ status: 500 }, /failed to answer/],
    [{ hang: true }, /too long/],
  ])('turns upstream trouble %o into a clear error, keeps the question and records nothing as used', async (reply, message) => {
    const me = await kit.signedIn();
    stub.script(reply);
    const events = await collect(await me.caller.chat.send({ content: 'Will this work?', modelId: 'groq-test' }));
    const last = events.at(-1)!;
    expect(last.type).toBe('failed');
    expect((last as { error: string }).error).toMatch(message);
    const conversationId = (events[0] as { conversation: { id: string } }).conversation.id;
    expect((await me.caller.chat.messages({ conversationId })).items.map((m) => m.role)).toEqual(['user']);
    const em = kit.db.orm.em.fork();
    const usage = await em.findOne(UsageDaily, { user: me.user.id });
    expect(usage).toMatchObject({ requests: 0, promptTokens: 0, completionTokens: 0 });
    expect(await em.findOne(UsageMonthly, { user: me.user.id })).toMatchObject({ tokens: 0, reservedTokens: 0 });
    expect(stub.requests.filter((request) => JSON.stringify(request.messages).includes('Will this work?'))).toHaveLength(1);
  });

  it('regenerates the last answer as a new version shown in its place, and titles a new conversation', async () => {
    const me = await kit.signedIn();
    stub.script({ text: 'First answer.' });
    const first = await collect(await me.caller.chat.send({ content: 'Explain recursion briefly', modelId: 'demo' }));
    const conversationId = (first[0] as { conversation: { id: string } }).conversation.id;
    stub.script({ text: 'Second answer.' });
    const again = await collect(await me.caller.chat.regenerate({ conversationId }));
    expect(again.at(-1)).toMatchObject({ type: 'finished', message: { content: 'Second answer.' } });
    expect((await me.caller.chat.messages({ conversationId })).items.map((m) => m.content)).toEqual(['Explain recursion briefly', 'Second answer.']);
    // The demo model is titled from the question, without another upstream call.
    await kit.afterWork();
    expect((await me.caller.chat.get({ id: conversationId })).title).toBe('Explain recursion briefly');
  });

  it("refuses another user's conversation with NOT_FOUND before any upstream call", async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await other.caller.chat.create({});
    const attempt = async () => collect(await me.caller.chat.send({ conversationId: theirs.id, content: 'hi' }));
    await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(await me.caller.chat.regenerate({ conversationId: theirs.id }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(stub.requests).toHaveLength(0);
    expect(await kit.db.orm.em.fork().count(Message, { conversation: theirs.id })).toBe(0);
    expect(await kit.db.orm.em.fork().count(Conversation, { user: me.user.id })).toBe(0);
  });

  it('refuses an empty message and an unknown model with form-ready errors', async () => {
    const me = await kit.signedIn();
    await expect(me.caller.chat.send({ content: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(collect(await me.caller.chat.send({ content: 'hi', modelId: 'nope' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
