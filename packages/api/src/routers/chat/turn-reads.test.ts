import { Attachment, Message } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Me = Awaited<ReturnType<ApiTestKit['signedIn']>>;
type SendInput = Parameters<Me['caller']['chat']['send']>[0];
type RegenerateInput = Parameters<Me['caller']['chat']['regenerate']>[0];
type Events = Awaited<ReturnType<Me['caller']['chat']['send']>> extends AsyncIterable<infer E> ? E[] : never;
type Started = Extract<Events[number], { type: 'started' }>;

/**
 * What a turn reads before its answer starts rides on statements it sends anyway: the preset it
 * asks for on the turn read (an existing conversation) or on the memory read (a new one), and a
 * regenerated question's attachments only when it has some.
 */
describe.each(testDatabaseKinds())('what a turn reads, on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  /** Every statement the ORM sends (bound statements included), as written. */
  const statements: string[] = [];
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
    const logger = kit.db.orm.config.getLogger();
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (context) => {
      statements.push(context.query ?? '');
      logQuery(context);
    };
    // A first turn loads what the process then keeps (catalogue, settings): no test counts those.
    await turn(await kit.signedIn(), { kind: 'send', content: 'Hello?', modelId: 'demo' });
  });
  beforeEach(async () => {
    await kit.afterWork();
    stub.reset();
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  /**
   * A turn to its end (after-work included), with the statements sent from the call until its
   * admission (the lease's insert), that one included: what the answer waits for. (Settings the
   * process keeps in memory may be read again after it, when a test's writes made them stale.)
   * `read`: the turn reads its conversation by statement, as when this process kept no read of it.
   */
  async function turn(me: Me, input: ({ kind: 'send' } & SendInput) | ({ kind: 'regenerate' } & RegenerateInput), options: { read?: boolean } = {}) {
    stub.script({ text: ['Fine.'] });
    if (options.read && input.conversationId) kit.config.knownReads.forget(input.conversationId);
    const before = statements.length;
    let sent: string[] | null = null;
    const { kind: which, ...rest } = input;
    const stream = which === 'send' ? await me.caller.chat.send(rest as SendInput) : await me.caller.chat.regenerate(rest as RegenerateInput);
    const events: Events = [];
    for await (const event of stream) {
      sent ??= statements.slice(before);
      events.push(event);
    }
    // The last admission: one refused because what the turn kept changed is followed by another.
    const admission = sent!.findLastIndex((sql) => sql.includes('insert into token_lease'));
    expect(admission).toBeGreaterThan(-1);
    await kit.afterWork();
    const started = events[0] as Started;
    expect(started.type).toBe('started');
    return { started, sent: sent!.slice(0, admission + 1), prompt: JSON.stringify(stub.requests.filter((request) => request.stream).at(-1)!.messages) };
  }
  /** A send whose refusal surfaces as the stream is read, as the web app reads it. */
  async function send(me: Me, input: SendInput) {
    for await (const event of await me.caller.chat.send(input)) void event;
  }
  const storedPreset = async (messageId: string) => (await kit.db.orm.em.fork().findOneOrFail(Message, { id: messageId })).preset?.id ?? null;
  const conversationPreset = async (me: Me, id: string) => (await me.caller.chat.get({ id })).presetId;

  it('starts a conversation with my own style or a global preset in as many statements as without one, and writes the question with it', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const own = await me.caller.presets.create({ name: 'Pirate', systemPromptTemplate: 'Answer like a pirate, arr.' });
    const global = await admin.caller.presets.admin.create({ name: 'Haiku', systemPromptTemplate: 'Answer in a haiku.', modelId: null });

    const plain = await turn(me, { kind: 'send', content: 'Why is the sea salty?', modelId: 'demo' });
    for (const style of [own, global]) {
      const styled = await turn(me, { kind: 'send', content: `Why is the sea salty, ${style.name}?`, modelId: 'demo', presetId: style.id });
      expect(styled.sent).toHaveLength(plain.sent.length);
      expect(styled.sent.filter((sql) => /\bpresets\b/.test(sql))).toHaveLength(1);
      expect(styled.prompt).toContain(style.systemPromptTemplate);
      expect(await storedPreset(styled.started.userMessage.id)).toBe(style.id);
      expect(await conversationPreset(me, styled.started.conversation.id)).toBe(style.id);
    }
    expect(plain.prompt).not.toContain('pirate');
    expect(await storedPreset(plain.started.userMessage.id)).toBeNull();
  });

  it("follows up in a conversation with its style, or one named again, in as many statements as without one", async () => {
    const me = await kit.signedIn();
    const own = await me.caller.presets.create({ name: 'Pirate', systemPromptTemplate: 'Answer like a pirate, arr.' });
    const plain = (await turn(me, { kind: 'send', content: 'What is rain?', modelId: 'demo' })).started.conversation.id;
    const styled = (await turn(me, { kind: 'send', content: 'What is snow?', modelId: 'demo', presetId: own.id })).started.conversation.id;

    // Each read by its statement (as the first follow-up on a replica that kept nothing of the conversation).
    const read = { read: true };
    const without = await turn(me, { kind: 'send', conversationId: plain, content: 'And hail?' }, read);
    // As the web app sends a follow-up: no presetId, the conversation's style applies.
    const conversations = await turn(me, { kind: 'send', conversationId: styled, content: 'And sleet?' }, read);
    const named = await turn(me, { kind: 'send', conversationId: plain, content: 'And fog?', presetId: own.id }, read);
    const none = await turn(me, { kind: 'send', conversationId: styled, content: 'And mist?', presetId: null }, read);
    for (const styledTurn of [conversations, named]) {
      expect(styledTurn.sent).toHaveLength(without.sent.length);
      expect(styledTurn.prompt).toContain('pirate');
      expect(await storedPreset(styledTurn.started.userMessage.id)).toBe(own.id);
    }
    expect(none.sent).toHaveLength(without.sent.length);
    expect(none.prompt).not.toContain('pirate');
    expect(await storedPreset(none.started.userMessage.id)).toBeNull();
    // A regeneration answers in the conversation's style too, without a statement for it.
    const again = await turn(me, { kind: 'regenerate', conversationId: styled });
    expect(again.prompt).toContain('pirate');
    expect(again.sent).toHaveLength(without.sent.length);
  });

  it("answers NOT_FOUND for someone else's style or a deleted one, and goes on without a conversation's style that is gone", async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await other.caller.presets.create({ name: 'Theirs', systemPromptTemplate: 'Speak only of their things.' });
    const mine = await me.caller.presets.create({ name: 'Mine', systemPromptTemplate: 'Answer like a pirate, arr.' });
    const conversationId = (await turn(me, { kind: 'send', content: 'What is wind?', modelId: 'demo', presetId: mine.id })).started.conversation.id;
    const count = async () => kit.db.orm.em.fork().count(Message, { conversation: conversationId });
    const messages = await count();

    for (const input of [
      { content: 'Hello?', modelId: 'demo', presetId: theirs.id },
      { content: 'Hello?', conversationId, presetId: theirs.id },
    ]) {
      await expect(send(me, input)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such preset.' });
    }
    await me.caller.presets.delete({ id: mine.id });
    for (const input of [
      { content: 'Hello?', modelId: 'demo', presetId: mine.id },
      { content: 'Hello?', conversationId, presetId: mine.id },
    ]) {
      await expect(send(me, input)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such preset.' });
    }
    expect(await count()).toBe(messages);
    // Someone else's conversation stays missing whatever preset is named.
    await expect(send(other, { content: 'Hello?', conversationId, presetId: theirs.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such conversation.',
    });

    // The conversation lost its style with the delete: the next question has none.
    const after = await turn(me, { kind: 'send', conversationId, content: 'And now?' });
    expect(after.prompt).not.toContain('pirate');
    expect(await storedPreset(after.started.userMessage.id)).toBeNull();
  });

  it('regenerates a question without attachments without asking for them, and one with a document with it', async () => {
    const me = await kit.signedIn();
    const bare = (await turn(me, { kind: 'send', content: 'What is a cloud?', modelId: 'demo' })).started.conversation.id;
    const follow = await turn(me, { kind: 'send', conversationId: bare, content: 'And a storm?' }, { read: true });
    const again = await turn(me, { kind: 'regenerate', conversationId: bare });
    expect(again.sent).toHaveLength(follow.sent.length);
    expect(again.sent.filter((sql) => /from "attachments"/.test(sql))).toEqual([]);

    const em = kit.db.orm.em.fork();
    const document = em.create(Attachment, {
      user: me.user.id,
      message: null,
      type: 'document',
      name: 'notes.txt',
      mimeType: 'text/plain',
      size: 30,
      storageKey: 'unused',
      extractedText: 'The secret word is tulip.',
      status: 'ready',
      failure: null,
      thumbnailKey: null,
      width: null,
      height: null,
    });
    await em.flush();
    const withDocument = (await turn(me, { kind: 'send', content: 'What is the secret word?', modelId: 'demo', attachmentIds: [document.id] })).started;
    const regenerated = await turn(me, { kind: 'regenerate', conversationId: withDocument.conversation.id });
    expect(regenerated.prompt).toContain('tulip');
    expect(regenerated.started.userMessage.id).toBe(withDocument.userMessage.id);
    expect(regenerated.started.userMessage.attachments.map((attachment) => attachment.id)).toEqual([document.id]);
  });
  it('asks a follow-up on the read it kept after the last answer: its admission is the one statement before the answer', async () => {
    const me = await kit.signedIn();
    const first = await turn(me, { kind: 'send', content: 'What is a comet?', modelId: 'demo' });
    const id = first.started.conversation.id;
    // The first answer's after-work titled the conversation since; the title is not part of what was kept.
    const titled = (await me.caller.chat.get({ id })).title;

    const follow = await turn(me, { kind: 'send', conversationId: id, content: 'And a meteor?' });
    expect(follow.sent).toHaveLength(1);
    expect(follow.sent[0]).toContain('atrium_fingerprint');
    expect(follow.prompt).toContain('What is a comet?');
    expect(follow.started.conversation.title).toBe(titled);

    await me.caller.chat.rename({ id, title: 'Comets' });
    const again = await turn(me, { kind: 'send', conversationId: id, content: 'And an asteroid?' });
    expect(again.sent).toHaveLength(1);
    expect(again.prompt).toContain('And a meteor?');
    expect(again.started.conversation.title).toBe('Comets');
    const branch = (await me.caller.chat.messages({ conversationId: id })).items.map((message) => message.content);
    expect(branch).toEqual(['What is a comet?', 'Fine.', 'And a meteor?', 'Fine.', 'And an asteroid?', 'Fine.']);
  });

  it('reads again when what it kept changed since (the memory, the viewed branch), and the refused admission leaves nothing', async () => {
    const me = await kit.signedIn();
    const first = await turn(me, { kind: 'send', content: 'What is a comet?', modelId: 'demo' });
    const id = first.started.conversation.id;
    const em = () => kit.db.orm.em.fork();
    const requests = async () =>
      Number((await em().execute<{ n: string }[]>('select coalesce(sum(requests), 0) as n from usage_daily where user_id = ?', [me.user.id]))[0]!.n);
    const leases = async () => Number((await em().execute<{ n: string }[]>('select count(*) as n from token_lease where user_id = ?', [me.user.id]))[0]!.n);
    const messages = async () => em().count(Message, { conversation: id });

    await me.caller.preferences.create({ key: 'name', value: 'Call me Captain Nemo' });
    const [requestsBefore, messagesBefore] = [await requests(), await messages()];
    const remembered = await turn(me, { kind: 'send', conversationId: id, content: 'And a meteor?' });
    // The admission refused as changed, the read, the admission again.
    expect(remembered.sent).toHaveLength(3);
    expect(remembered.sent[0]).toContain('atrium_fingerprint');
    expect(remembered.prompt).toContain('Captain Nemo');
    expect(remembered.prompt).toContain('What is a comet?');
    expect(await requests()).toBe(requestsBefore + 1);
    expect(await messages()).toBe(messagesBefore + 2);
    expect(await leases()).toBe(0);

    // Another version of the first question, then the student goes back to the first version.
    const edited = await turn(me, { kind: 'send', conversationId: id, content: 'What is a planet?', editOf: first.started.userMessage.id });
    expect(edited.prompt).not.toContain('What is a comet?');
    await me.caller.chat.switchBranch({ conversationId: id, messageId: first.started.userMessage.id });
    const back = await turn(me, { kind: 'send', conversationId: id, content: 'And a star?' });
    expect(back.sent).toHaveLength(3);
    expect(back.prompt).toContain('And a meteor?');
    expect(back.prompt).not.toContain('What is a planet?');
    const branch = (await me.caller.chat.messages({ conversationId: id })).items.map((message) => message.content);
    expect(branch).toEqual(['What is a comet?', 'Fine.', 'And a meteor?', 'Fine.', 'And a star?', 'Fine.']);
  });

  it('reads again for someone without limits too (an administrator), whose admission judges no limit', async () => {
    const me = await kit.signedIn('admin');
    const first = await turn(me, { kind: 'send', content: 'What is a comet?', modelId: 'demo' });
    const id = first.started.conversation.id;
    const requests = async () =>
      Number((await kit.db.orm.em.fork().execute<{ n: string }[]>('select coalesce(sum(requests), 0) as n from usage_daily where user_id = ?', [me.user.id]))[0]!.n);

    const kept = await turn(me, { kind: 'send', conversationId: id, content: 'And a meteor?' });
    expect(kept.sent).toHaveLength(1);
    expect(kept.sent[0]).not.toContain('dailyRequests');

    await me.caller.preferences.create({ key: 'name', value: 'Call me Captain Nemo' });
    const requestsBefore = await requests();
    const remembered = await turn(me, { kind: 'send', conversationId: id, content: 'And a star?' });
    expect(remembered.sent).toHaveLength(3);
    expect(remembered.prompt).toContain('Captain Nemo');
    expect(remembered.prompt).toContain('And a meteor?');
    expect(await requests()).toBe(requestsBefore + 1);
    const branch = (await me.caller.chat.messages({ conversationId: id })).items.map((message) => message.content);
    expect(branch).toEqual(['What is a comet?', 'Fine.', 'And a meteor?', 'Fine.', 'And a star?', 'Fine.']);
  });

  it("looks a new conversation's question up in the answer cache within its admission's statement, and serves a repeat from it", async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: false });
    try {
      const first = await turn(me, { kind: 'send', content: 'What is fog made of?', modelId: 'demo' });
      // No statement of its own: the lookup is the admission's (the last statement before the answer).
      expect(first.sent.filter((sql) => sql.includes('answer_cache'))).toEqual([first.sent.at(-1)]);
      const asked = stub.requests.length;
      const repeat = await turn(me, { kind: 'send', content: 'What is fog made of?', modelId: 'demo' });
      // What the assistant remembers (with the style), then the admission: the cache's settings come from memory.
      expect(repeat.sent).toHaveLength(2);
      expect(repeat.sent.filter((sql) => sql.includes('answer_cache'))).toEqual([repeat.sent.at(-1)]);
      expect(stub.requests).toHaveLength(asked);
      const answer = (await me.caller.chat.messages({ conversationId: repeat.started.conversation.id })).items.find((message) => message.role === 'assistant')!;
      expect(answer).toMatchObject({ content: 'Fine.', cacheHit: true });
    } finally {
      await admin.caller.cache.updateSettings({ enabled: false, ttlSeconds: 3600, shared: false });
    }
  });
});
