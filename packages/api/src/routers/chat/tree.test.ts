import { Message, Model } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { afterWorkSettled } from './chat.service';

type Me = Awaited<ReturnType<ApiTestKit['signedIn']>>;
type Events = Awaited<ReturnType<Me['caller']['chat']['send']>> extends AsyncIterable<infer E> ? E[] : never;
const started = (events: Events) => events[0] as Extract<Events[number], { type: 'started' }>;
const finished = (events: Events) => events.at(-1) as Extract<Events[number], { type: 'finished' }>;

describe.each(testDatabaseKinds())('conversation trees on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, {
      config: { providers: { demo: { baseURL: stub.url }, local: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } },
    });
    // The demo model summarises without a call; a local one asks the stub, whose replies the tests script.
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: 'local-tree', provider: 'local', providerModelId: 'llama3', displayName: 'Local', contextWindow: 1_000_000 });
    await em.flush();
  });
  beforeEach(async () => {
    await afterWorkSettled();
    stub.reset();
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  /** The events of a turn, once its after-work (title, summary) has run too. */
  async function collect(stream: AsyncIterable<Events[number]>) {
    const events: Events = [];
    for await (const event of stream) events.push(event);
    await kit.afterWork();
    return events;
  }

  /** Asks a question (scripting its answer) and returns the ids of the question and the answer. */
  async function ask(me: Me, input: { conversationId?: string; content: string; editOf?: string; modelId?: string }, answer: string) {
    kit.clock.advance(1000);
    stub.script({ text: answer });
    const events = await collect(await me.caller.chat.send({ modelId: 'demo', ...input }));
    return { conversationId: started(events).conversation.id, question: started(events).userMessage.id, answer: finished(events).message!.id };
  }
  const branch = async (me: Me, conversationId: string) => (await me.caller.chat.messages({ conversationId })).items;
  const lastPrompt = () => JSON.stringify(stub.requests.filter((request) => request.stream).at(-1)!.messages);

  it('starts a new branch when a question is edited, keeps the old one, and follows the viewed branch in the prompt', async () => {
    const me = await kit.signedIn();
    const first = await ask(me, { content: 'What is a stack?' }, 'A stack is last in, first out.');
    const conversationId = first.conversationId;
    const original = await ask(me, { conversationId, content: 'What is a queue?' }, 'A queue is first in, first out.');

    const edited = await ask(me, { conversationId, content: 'What is a heap?', editOf: original.question }, 'A heap keeps the smallest on top.');
    // The edited question is sent with the history before it, not the question it replaces.
    expect(lastPrompt()).toContain('What is a stack?');
    expect(lastPrompt()).not.toContain('What is a queue?');
    const shown = await branch(me, conversationId);
    expect(shown.map((message) => message.content)).toEqual([
      'What is a stack?',
      'A stack is last in, first out.',
      'What is a heap?',
      'A heap keeps the smallest on top.',
    ]);
    expect(shown[2]).toMatchObject({ parentId: first.answer, versionIds: [original.question, edited.question] });
    expect(shown[0]!.versionIds).toEqual([first.question]);

    // Back to the first version: the old branch is whole, and the next question follows it.
    expect(await me.caller.chat.switchBranch({ conversationId, messageId: original.question })).toEqual({ activeLeafId: original.answer });
    expect((await branch(me, conversationId)).map((message) => message.content)).toEqual([
      'What is a stack?',
      'A stack is last in, first out.',
      'What is a queue?',
      'A queue is first in, first out.',
    ]);
    const next = await ask(me, { conversationId, content: 'And a deque?' }, 'Both ends.');
    expect(lastPrompt()).toContain('What is a queue?');
    expect(lastPrompt()).not.toContain('What is a heap?');
    expect((await me.caller.chat.get({ id: conversationId })).activeLeafId).toBe(next.answer);
    expect(await kit.db.orm.em.fork().count(Message, { conversation: conversationId })).toBe(8);
  });

  it('keeps every answer as a version when regenerating, with its own usage and rating', async () => {
    const me = await kit.signedIn();
    const turn = await ask(me, { content: 'Name a sorting algorithm.' }, 'Quicksort.');
    const { conversationId } = turn;
    await me.caller.feedback.give({ messageId: turn.answer, type: 'like' });

    kit.clock.advance(1000);
    stub.script({ text: 'Merge sort.', usage: { promptTokens: 40, completionTokens: 3 } });
    const again = await collect(await me.caller.chat.regenerate({ conversationId }));
    const second = finished(again).message!;
    kit.clock.advance(1000);
    stub.script({ text: 'Heapsort.', usage: { promptTokens: 41, completionTokens: 4 } });
    const third = finished(await collect(await me.caller.chat.regenerate({ conversationId }))).message!;

    const shown = await branch(me, conversationId);
    expect(shown.map((message) => message.content)).toEqual(['Name a sorting algorithm.', 'Heapsort.']);
    expect(shown[1]!.versionIds).toEqual([turn.answer, second.id, third.id]);
    // Each version keeps what it cost and how it was rated.
    const em = kit.db.orm.em.fork();
    expect(await em.findOneOrFail(Message, second.id)).toMatchObject({ promptTokens: 40, completionTokens: 3, parent: { id: turn.question } });
    expect(await em.findOneOrFail(Message, third.id)).toMatchObject({ promptTokens: 41, completionTokens: 4 });
    expect((await me.caller.feedback.mine({ conversationId })).map((rating) => rating.messageId)).toEqual([turn.answer]);

    // Stepping back to the first version shows it, and regenerating an earlier version adds a fourth beside it.
    await me.caller.chat.switchBranch({ conversationId, messageId: turn.answer });
    expect((await branch(me, conversationId)).at(-1)).toMatchObject({ id: turn.answer, content: 'Quicksort.' });
    kit.clock.advance(1000);
    stub.script({ text: 'Bubble sort.' });
    await collect(await me.caller.chat.regenerate({ conversationId, messageId: turn.answer }));
    expect((await branch(me, conversationId)).at(-1)).toMatchObject({ content: 'Bubble sort.', versionIds: expect.arrayContaining([turn.answer, third.id]) });
    expect((await branch(me, conversationId)).at(-1)!.versionIds).toHaveLength(4);
  });

  it('deletes only the chosen branch and moves the view to a remaining version', async () => {
    const me = await kit.signedIn();
    const root = await ask(me, { content: 'First question' }, 'First answer');
    const { conversationId } = root;
    const kept = await ask(me, { conversationId, content: 'Kept question' }, 'Kept answer');
    const doomed = await ask(me, { conversationId, content: 'Doomed question', editOf: kept.question }, 'Doomed answer');
    await ask(me, { conversationId, content: 'Doomed follow-up' }, 'Doomed follow-up answer');

    // The viewed branch goes: the view falls back to the version left at that fork.
    expect(await me.caller.chat.deleteBranch({ conversationId, messageId: doomed.question })).toEqual({ activeLeafId: kept.answer });
    const shown = await branch(me, conversationId);
    expect(shown.map((message) => message.content)).toEqual(['First question', 'First answer', 'Kept question', 'Kept answer']);
    expect(shown[2]!.versionIds).toEqual([kept.question]);
    const em = kit.db.orm.em.fork();
    expect(await em.count(Message, { conversation: conversationId })).toBe(4);

    // Deleting a branch that is not viewed leaves the view alone; deleting the last answer falls back to its question.
    const other = await ask(me, { conversationId, content: 'Another try', editOf: kept.question }, 'Another answer');
    await me.caller.chat.switchBranch({ conversationId, messageId: kept.question });
    expect(await me.caller.chat.deleteBranch({ conversationId, messageId: other.question })).toEqual({ activeLeafId: kept.answer });
    expect(await me.caller.chat.deleteBranch({ conversationId, messageId: kept.answer })).toEqual({ activeLeafId: kept.question });
    expect(await me.caller.chat.deleteBranch({ conversationId, messageId: root.question })).toEqual({ activeLeafId: null });
    expect(await me.caller.chat.messages({ conversationId })).toEqual({ items: [], nextCursor: null });
  });

  it('pages the viewed branch backwards, each page oldest first', async () => {
    const me = await kit.signedIn();
    const { conversationId } = await ask(me, { content: 'm0' }, 'm1');
    await ask(me, { conversationId, content: 'm2' }, 'm3');
    await ask(me, { conversationId, content: 'm4' }, 'm5');
    const newest = await me.caller.chat.messages({ conversationId, limit: 4 });
    expect(newest.items.map((message) => message.content)).toEqual(['m2', 'm3', 'm4', 'm5']);
    const older = await me.caller.chat.messages({ conversationId, limit: 4, cursor: newest.nextCursor });
    expect(older.items.map((message) => message.content)).toEqual(['m0', 'm1']);
    expect(older.nextCursor).toBeNull();
  });

  it("answers NOT_FOUND for another user's messages and for messages of another conversation", async () => {
    const me = await kit.signedIn();
    const victim = await kit.signedIn();
    const theirs = await ask(victim, { content: 'Private question' }, 'Private answer');
    const mine = await ask(me, { content: 'My question' }, 'My answer');
    const attempts = [
      () => me.caller.chat.switchBranch({ conversationId: theirs.conversationId, messageId: theirs.answer }),
      () => me.caller.chat.deleteBranch({ conversationId: theirs.conversationId, messageId: theirs.question }),
      // My conversation, their message: never reachable through mine either.
      () => me.caller.chat.switchBranch({ conversationId: mine.conversationId, messageId: theirs.answer }),
      () => me.caller.chat.deleteBranch({ conversationId: mine.conversationId, messageId: theirs.question }),
      async () => collect(await me.caller.chat.send({ conversationId: mine.conversationId, content: 'x', editOf: theirs.question })),
      async () => collect(await me.caller.chat.regenerate({ conversationId: mine.conversationId, messageId: theirs.answer })),
      () => me.caller.chat.messages({ conversationId: theirs.conversationId }),
      () => me.caller.chat.messages({ conversationId: theirs.conversationId, cursor: theirs.answer }),
      // Their message as the cursor of a page of mine: the page above it is theirs.
      () => me.caller.chat.messages({ conversationId: mine.conversationId, cursor: theirs.answer }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await kit.db.orm.em.fork().count(Message, { conversation: theirs.conversationId })).toBe(2);
    expect((await branch(victim, theirs.conversationId)).map((message) => message.content)).toEqual(['Private question', 'Private answer']);
  });

  it('refuses an edit or a regeneration naming a message of my other conversation, or an edit of an answer, before any upstream call', async () => {
    const me = await kit.signedIn();
    const here = await ask(me, { content: 'Question here' }, 'Answer here');
    const there = await ask(me, { content: 'Question there' }, 'Answer there');
    const calls = stub.requests.length;
    const attempts = [
      async () => collect(await me.caller.chat.send({ conversationId: here.conversationId, content: 'x', editOf: there.question })),
      async () => collect(await me.caller.chat.send({ conversationId: here.conversationId, content: 'x', editOf: here.answer })),
      async () => collect(await me.caller.chat.regenerate({ conversationId: here.conversationId, messageId: there.answer })),
      async () => collect(await me.caller.chat.regenerate({ conversationId: here.conversationId, messageId: there.question })),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(stub.requests.length).toBe(calls);
    expect((await branch(me, here.conversationId)).map((message) => message.content)).toEqual(['Question here', 'Answer here']);
    // Its own question, named directly, is answered again with the history before it.
    const again = await collect(await me.caller.chat.regenerate({ conversationId: here.conversationId, messageId: here.question }));
    expect(started(again).userMessage).toMatchObject({ id: here.question, content: 'Question here' });
    expect(finished(again).message).toMatchObject({ role: 'assistant', parentId: here.question });
  });

  it('keeps a summary per branch: a branch never carries the summary of another', async () => {
    const admin = await kit.signedIn('admin');
    await admin.caller.summaries.admin.updateSettings({ enabled: true, firstThreshold: 10, updateStep: 4, maxMessages: 6 });
    try {
      const me = await kit.signedIn();
      const say = (input: { conversationId?: string; content: string; editOf?: string }, answer: string) =>
        ask(me, { ...input, modelId: 'local-tree' }, answer);
      // The conversation's model answers, titles and summarises; the title takes the stub's default reply.
      const a1 = await say({ content: 'Alpha one' }, 'Answer alpha one');
      const { conversationId } = a1;
      const a2 = await say({ conversationId, content: 'Alpha two' }, 'Answer alpha two');
      await say({ conversationId, content: 'Alpha three' }, 'Answer alpha three');
      await say({ conversationId, content: 'Alpha four' }, 'Answer alpha four');
      // The fifth turn makes 10 messages: the answer, then the summary of the oldest four.
      kit.clock.advance(1000);
      stub.script({ text: 'Answer alpha five' }, { text: 'SUMMARY OF BRANCH A' });
      await collect(await me.caller.chat.send({ conversationId, content: 'Alpha five', modelId: 'local-tree' }));
      expect(await me.caller.summaries.get({ conversationId })).toMatchObject({ summary: 'SUMMARY OF BRANCH A', messageCountAtUpdate: 10 });

      // A branch forked before the summarised part: no summary of branch A in its prompt.
      await say({ conversationId, content: 'Beta two', editOf: a2.question }, 'Answer beta two');
      expect(lastPrompt()).not.toContain('SUMMARY OF BRANCH A');
      expect(lastPrompt()).not.toContain('Alpha two');
      expect(await me.caller.summaries.get({ conversationId })).toBeNull();
      await say({ conversationId, content: 'Beta three' }, 'Answer beta three');
      await say({ conversationId, content: 'Beta four' }, 'Answer beta four');
      kit.clock.advance(1000);
      stub.script({ text: 'Answer beta five' }, { text: 'SUMMARY OF BRANCH B' });
      await collect(await me.caller.chat.send({ conversationId, content: 'Beta five', modelId: 'local-tree' }));
      const folded = JSON.stringify(stub.requests.at(-1)!.messages);
      expect(folded).toContain('Beta two');
      // The shared start is in it; branch A's own messages are not.
      expect(folded).toContain('Alpha one');
      expect(folded).not.toContain('Alpha two');
      expect(await me.caller.summaries.get({ conversationId })).toMatchObject({ summary: 'SUMMARY OF BRANCH B' });

      await say({ conversationId, content: 'Beta six' }, 'Answer beta six');
      expect(lastPrompt()).toContain('SUMMARY OF BRANCH B');
      expect(lastPrompt()).not.toContain('SUMMARY OF BRANCH A');

      // Back on branch A, its own summary returns.
      await me.caller.chat.switchBranch({ conversationId, messageId: a2.question });
      await say({ conversationId, content: 'Alpha six' }, 'Answer alpha six');
      expect(lastPrompt()).toContain('SUMMARY OF BRANCH A');
      expect(lastPrompt()).not.toContain('SUMMARY OF BRANCH B');
      expect(lastPrompt()).not.toContain('Beta');
    } finally {
      await admin.caller.summaries.admin.updateSettings({ enabled: true, firstThreshold: 20, updateStep: 10, maxMessages: 12 });
    }
  });
});
