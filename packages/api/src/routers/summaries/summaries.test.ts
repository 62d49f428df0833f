import { estimateMessageTokens } from '@atrium/ai';
import { AuditEvent, Conversation, ConversationSummary, Message, Model, UsageDaily, type IUser } from '@atrium/db';
import { testDatabaseKinds, type TestDatabaseKind } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { summaryJob } from '../chat/after-work';
import { startTurn } from '../chat/chat.service';
import { admit } from '../usage/limits.service';
import { historyWindow, refreshSummary } from './summaries.service';

const MODEL_ID = 'long-context';
/** What the stub answers to everything (answers, titles, summaries): a few hundred characters, in one chunk (streaming is not what these tests are about). */
const REPLY =
  'Here is a careful answer that walks through the reasoning step by step, names the key terms, gives an example, and ends with a short recap so that the student can check their understanding before moving on. '
    .repeat(2)
    .trim();

async function kitWithStub(kind: TestDatabaseKind, stub: StubUpstream) {
  const kit = await createApiTestKit(kind, {
    config: { providers: { local: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } },
  });
  const em = kit.db.orm.em.fork();
  // A huge window: only the summary, not the context-window trimming, can keep prompts small here.
  em.create(Model, {
    id: MODEL_ID,
    provider: 'local',
    providerModelId: 'llama3',
    displayName: 'Long context',
    contextWindow: 1_000_000,
  });
  await em.flush();
  return kit;
}

const isSummaryRequest = (request: StubUpstream['requests'][number]) =>
  JSON.stringify(request.messages).includes('running summary');

/** A conversation whose one branch has `count` alternating messages, one second apart, written directly. */
async function conversationWithMessages(
  kit: ApiTestKit,
  me: Awaited<ReturnType<ApiTestKit['signedIn']>>,
  count: number,
  start = 0,
) {
  const conversation = await me.caller.chat.create({ modelId: MODEL_ID });
  await addMessages(kit, conversation.id, count, start);
  return conversation.id;
}
/** Appends `count` messages to the end of the viewed branch, which then ends at the last of them. */
async function addMessages(kit: ApiTestKit, conversationId: string, count: number, start: number) {
  const em = kit.db.orm.em.fork();
  const conversation = await em.findOneOrFail(Conversation, conversationId);
  const base = kit.clock().getTime();
  let parent = conversation.activeLeaf?.id ?? null;
  for (let index = start; index < start + count; index++) {
    parent = em.create(Message, {
      conversation: conversationId,
      parent,
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: `message ${index}`,
      createdAt: new Date(base + index * 1000),
    }).id;
  }
  await em.flush();
  await em.nativeUpdate(Conversation, { id: conversationId }, { activeLeaf: parent });
  return parent!;
}

const leafOf = async (kit: ApiTestKit, conversationId: string) =>
  (await kit.db.orm.em.fork().findOneOrFail(Conversation, conversationId)).activeLeaf!.id;

async function reservationFor(kit: ApiTestKit, user: IUser) {
  const em = kit.db.orm.em.fork();
  const model = await em.findOneOrFail(Model, MODEL_ID);
  return admit(em, { user, model, reserveTokens: 0, now: kit.clock(), timeZone: kit.config.usageTimeZone });
}

async function setSettings(
  kit: ApiTestKit,
  settings: { enabled?: boolean; firstThreshold: number; updateStep: number; maxMessages: number },
) {
  const admin = await kit.signedIn('admin');
  return admin.caller.summaries.admin.updateSettings({ enabled: true, ...settings });
}

describe('summaries', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream({ defaultReply: { text: [REPLY] } });
    kit = await kitWithStub('pglite', stub);
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  it('lets admins read and change the settings, validated and audited', async () => {
    const admin = await kit.signedIn('admin');
    expect(await admin.caller.summaries.admin.settings()).toMatchObject({
      enabled: true,
      firstThreshold: 20,
      updateStep: 10,
      maxMessages: 12,
    });
    for (const bad of [
      { firstThreshold: 1, updateStep: 10, maxMessages: 1 },
      { firstThreshold: 10, updateStep: 1, maxMessages: 6 },
      { firstThreshold: 10, updateStep: 10, maxMessages: 10 },
      { firstThreshold: 10, updateStep: 10, maxMessages: 1 },
    ]) {
      await expect(admin.caller.summaries.admin.updateSettings({ enabled: true, ...bad })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    const changed = await admin.caller.summaries.admin.updateSettings({
      enabled: false,
      firstThreshold: 30,
      updateStep: 8,
      maxMessages: 10,
    });
    expect(changed).toMatchObject({ enabled: false, firstThreshold: 30, updateStep: 8, maxMessages: 10 });
    const audit = await kit.db.orm.em
      .fork()
      .findOneOrFail(AuditEvent, { action: 'summarySettings.update' }, { orderBy: { createdAt: 'desc' } });
    expect(audit.data).toMatchObject({ from: { firstThreshold: 20 }, to: { firstThreshold: 30 } });
  });

  it("shows me my conversation's summary, and answers NOT_FOUND for anyone else's", async () => {
    await setSettings(kit, { firstThreshold: 10, updateStep: 10, maxMessages: 6 });
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const conversationId = await conversationWithMessages(kit, me, 10);
    expect(await me.caller.summaries.get({ conversationId })).toBeNull();
    expect(
      await refreshSummary(kit.db.orm.em.fork(), {
        conversationId,
        leafId: await leafOf(kit, conversationId),
        model: await kit.db.orm.em.fork().findOneOrFail(Model, MODEL_ID),
        reservation: await reservationFor(kit, me.user),
        config: kit.config,
      }),
    ).toBe('created');
    expect(await me.caller.summaries.get({ conversationId })).toMatchObject({
      conversationId,
      summary: REPLY,
      messageCountAtUpdate: 10,
      revision: 1,
    });
    await expect(other.caller.summaries.get({ conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the previous summary when the upstream fails, quietly', async () => {
    await setSettings(kit, { firstThreshold: 10, updateStep: 4, maxMessages: 6 });
    const me = await kit.signedIn();
    const conversationId = await conversationWithMessages(kit, me, 10);
    const model = await kit.db.orm.em.fork().findOneOrFail(Model, MODEL_ID);
    const refresh = async () =>
      refreshSummary(kit.db.orm.em.fork(), {
        conversationId,
        leafId: await leafOf(kit, conversationId),
        model,
        reservation: await reservationFor(kit, me.user),
        config: kit.config,
      });
    // A fresh caller per read, as each request has its own context.
    const summary = () => kit.callerFor(me.user).summaries.get({ conversationId });
    expect(await refresh()).toBe('created');
    await addMessages(kit, conversationId, 4, 10);
    stub.script({ status: 500 });
    expect(await refresh()).toBe('failed');
    expect(await summary()).toMatchObject({ revision: 1, messageCountAtUpdate: 10, summary: REPLY });
    stub.script({ text: 'A newer summary.' });
    expect(await refresh()).toBe('refreshed');
    expect(await summary()).toMatchObject({ revision: 2, messageCountAtUpdate: 14, summary: 'A newer summary.' });
    // The refresh folded in only what the old summary did not cover: messages 4..7 (8..13 stay verbatim).
    const folded = stub.requests.at(-1)!.messages.at(-1)!.content;
    expect(folded).toContain(REPLY);
    expect(folded).toContain('message 4');
    expect(folded).toContain('message 7');
    expect(folded).not.toContain('message 3');
    expect(folded).not.toContain('message 8');
  });

  it('does nothing while summaries are off, and then sends the whole recent history', async () => {
    await setSettings(kit, { enabled: false, firstThreshold: 10, updateStep: 10, maxMessages: 6 });
    const me = await kit.signedIn();
    const conversationId = await conversationWithMessages(kit, me, 12);
    const model = await kit.db.orm.em.fork().findOneOrFail(Model, MODEL_ID);
    expect(
      await refreshSummary(kit.db.orm.em.fork(), {
        conversationId,
        leafId: await leafOf(kit, conversationId),
        model,
        reservation: await reservationFor(kit, me.user),
        config: kit.config,
      }),
    ).toBe('disabled');
    expect(stub.requests).toHaveLength(0);
    const window = await historyWindow(kit.db.orm.em.fork(), conversationId, await leafOf(kit, conversationId), 100);
    expect(window).toMatchObject({ summary: null });
    expect(window.messages).toHaveLength(12);
  });

  it('keeps every turn of a 24-turn conversation within a fixed prompt budget, refreshing the summary on schedule', async () => {
    // 24 turns with a refresh every 4 messages are twelve refreshes: enough to show the bound
    // holds and does not creep, in a fifth of the turns the looser default schedule would need.
    const TURNS = 24;
    const settings = { firstThreshold: 4, updateStep: 4, maxMessages: 2 };
    await setSettings(kit, settings);
    const me = await kit.signedIn();
    let conversationId: string | null = null;
    const timeline: ({ count: number; revision: number } | null)[] = [];
    const question = (turn: number) =>
      `Question ${turn}: ${'could you explain the next part of the topic in more detail, please? '.repeat(2)}`;

    for (let turn = 1; turn <= TURNS; turn++) {
      kit.clock.advance(1000);
      const chatTurn = await startTurn(kit.db.orm.em.fork(), kit.config, {
        kind: 'send',
        user: me.user,
        conversationId,
        content: question(turn),
        modelId: MODEL_ID,
      });
      conversationId = chatTurn.conversation.id;
      for await (const delta of chatTurn.deltas) void delta;
      expect((await chatTurn.finished).status).toBe('completed');
      await chatTurn.afterWork;
      await kit.jobs.drain({ only: [summaryJob] });
      const summary = await kit.db.orm.em
        .fork()
        .findOne(ConversationSummary, { conversation: conversationId }, { orderBy: { revision: 'desc' } });
      timeline.push(summary && { count: summary.messageCountAtUpdate, revision: summary.revision });
    }

    // First at 4 messages (after turn 2), then every 4 messages: exactly one write per step.
    timeline.forEach((state, index) => {
      const messages = 2 * (index + 1);
      if (messages < settings.firstThreshold) expect(state).toBeNull();
      else expect(state).toEqual({ count: Math.floor(messages / settings.updateStep) * settings.updateStep, revision: Math.floor(messages / settings.updateStep) });
    });
    const summaryRequests = stub.requests.filter(isSummaryRequest);
    expect(summaryRequests).toHaveLength((2 * TURNS) / settings.updateStep);

    // What one prompt may hold: system prompt and summary, the messages since the summary
    // (at most maxMessages + updateStep) and the question.
    const answers = stub.requests.filter((request) => request.stream);
    expect(answers).toHaveLength(TURNS);
    const perMessage = Math.max(estimateMessageTokens(question(TURNS)), estimateMessageTokens(REPLY));
    const budget = 600 + estimateMessageTokens(REPLY) + (settings.maxMessages + settings.updateStep + 1) * perMessage;
    const promptTokens = answers.map((request) => request.usage!.promptTokens);
    expect(Math.max(...promptTokens.slice(-12))).toBeLessThanOrEqual(budget);
    // Without the summary, the last turn would carry the whole conversation.
    const wholeConversation = TURNS * estimateMessageTokens(question(TURNS)) + (TURNS - 1) * estimateMessageTokens(REPLY);
    expect(budget * 2).toBeLessThan(wholeConversation);
    // And it does not creep up: the last turns are no bigger than the turns just after the first summary.
    expect(Math.max(...promptTokens.slice(-12))).toBeLessThanOrEqual(Math.max(...promptTokens.slice(2, 12)));
    const last = JSON.stringify(answers.at(-1)!.messages);
    expect(last).toContain('Summary of the earlier part of this conversation');
    expect(last).not.toContain('Question 1:');
    // Folding is bounded too: each refresh reads the summary so far and about updateStep messages.
    expect(Math.max(...summaryRequests.map((request) => request.usage!.promptTokens))).toBeLessThanOrEqual(budget);

    // Answers, the title and every summary are metered, exactly as the stub reported them.
    await kit.afterWork();
    await stub.settled();
    const reported = stub.requests.reduce(
      (sum, request) => sum + request.usage!.promptTokens + request.usage!.completionTokens,
      0,
    );
    const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: MODEL_ID });
    expect(usage.requests).toBe(TURNS);
    expect(usage.promptTokens + usage.completionTokens).toBe(reported);
  });
});

describe.each(testDatabaseKinds())('concurrent summary refreshes on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream({ defaultReply: { text: [REPLY] } });
    kit = await kitWithStub(kind, stub);
    await setSettings(kit, { firstThreshold: 10, updateStep: 10, maxMessages: 6 });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  it('lets exactly one of two simultaneous writers win, first summary and refresh alike', async () => {
    const me = await kit.signedIn();
    const conversationId = await conversationWithMessages(kit, me, 10);
    const model = await kit.db.orm.em.fork().findOneOrFail(Model, MODEL_ID);
    const reservation = await reservationFor(kit, me.user);
    // Both read the same state before either writes: the stub answers both only after a pause.
    const race = () =>
      Promise.all(
        [1, 2].map(() =>
          leafOf(kit, conversationId).then((leafId) =>
            refreshSummary(kit.db.orm.em.fork(), { conversationId, leafId, model, reservation, config: kit.config }),
          ),
        ),
      );

    stub.script(
      { text: 'Summary A.', delayMs: 150, usage: { promptTokens: 50, completionTokens: 5 } },
      { text: 'Summary B.', delayMs: 150, usage: { promptTokens: 50, completionTokens: 5 } },
    );
    expect((await race()).sort()).toEqual(['created', 'superseded']);
    const first = await kit.db.orm.em.fork().find(ConversationSummary, { conversation: conversationId });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ revision: 1, messageCountAtUpdate: 10 });
    expect(['Summary A.', 'Summary B.']).toContain(first[0]!.summary);

    await addMessages(kit, conversationId, 10, 10);
    stub.script(
      { text: 'Summary C.', delayMs: 150, usage: { promptTokens: 50, completionTokens: 5 } },
      { text: 'Summary D.', delayMs: 150, usage: { promptTokens: 50, completionTokens: 5 } },
    );
    expect((await race()).sort()).toEqual(['refreshed', 'superseded']);
    // The first summary stays beside the new one: it is still the summary of that shorter path.
    const refreshed = await kit.db.orm.em
      .fork()
      .find(ConversationSummary, { conversation: conversationId, revision: 2 }, { populate: ['lastMessage'] });
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({
      revision: 2,
      messageCountAtUpdate: 20,
      lastMessage: { content: 'message 13' },
    });
    expect(['Summary C.', 'Summary D.']).toContain(refreshed[0]!.summary);
    expect(stub.requests).toHaveLength(4);

    // Every call was made, so every call's tokens are on the ledger, the losers' too.
    const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: MODEL_ID });
    expect(usage.promptTokens + usage.completionTokens).toBe(4 * 55);
  });
});
