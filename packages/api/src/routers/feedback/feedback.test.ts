import { Conversation, Feedback, Message } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Person = Awaited<ReturnType<ApiTestKit['signedIn']>>;

describe('feedback', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  /** A conversation of `person` with one question and one answer per model, written directly. */
  async function exchange(person: Person, models: string[] = ['demo']) {
    const em = kit.db.orm.em.fork();
    const conversation = em.create(Conversation, { user: person.user.id, title: 'Rated chat' });
    const base = kit.clock().getTime();
    const question = em.create(Message, {
      conversation,
      role: 'user',
      content: 'What is 2 + 2?',
      createdAt: new Date(base),
    });
    const answers = models.map((model, index) =>
      em.create(Message, {
        conversation,
        role: 'assistant',
        content: `Four, says ${model}.`,
        model,
        createdAt: new Date(base + 1 + index),
      }),
    );
    await em.flush();
    return { conversationId: conversation.id, questionId: question.id, answerIds: answers.map((answer) => answer.id) };
  }
  const fresh = (person: Person) => kit.callerFor(person.user);

  it('rates my answer once, lets me change and retract it, and shows my ratings in the conversation', async () => {
    const me = await kit.signedIn();
    const { conversationId, answerIds } = await exchange(me);
    const messageId = answerIds[0]!;
    expect(await fresh(me).feedback.give({ messageId, type: 'like' })).toMatchObject({
      messageId,
      conversationId,
      type: 'like',
      comment: null,
    });
    expect(await fresh(me).feedback.give({ messageId, type: 'dislike', comment: '  Too short.  ' })).toMatchObject({
      type: 'dislike',
      comment: 'Too short.',
    });
    expect(await kit.db.orm.em.fork().count(Feedback, { user: me.user.id })).toBe(1);
    expect(await fresh(me).feedback.mine({ conversationId })).toEqual([
      expect.objectContaining({ messageId, type: 'dislike', comment: 'Too short.' }),
    ]);

    expect(await fresh(me).feedback.retract({ messageId })).toEqual({ retracted: true });
    expect(await fresh(me).feedback.retract({ messageId })).toEqual({ retracted: false });
    expect(await fresh(me).feedback.mine({ conversationId })).toEqual([]);
  });

  it("answers NOT_FOUND for another user's answers and conversations, and for questions", async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await exchange(other);
    const mine = await exchange(me);
    await fresh(other).feedback.give({ messageId: theirs.answerIds[0]!, type: 'like' });

    await expect(fresh(me).feedback.give({ messageId: theirs.answerIds[0]!, type: 'dislike' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fresh(me).feedback.retract({ messageId: theirs.answerIds[0]! })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fresh(me).feedback.mine({ conversationId: theirs.conversationId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fresh(me).feedback.give({ messageId: mine.questionId, type: 'like' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Their rating is untouched.
    expect(await fresh(other).feedback.mine({ conversationId: theirs.conversationId })).toMatchObject([
      { type: 'like' },
    ]);
  });

  it('keeps a rating and its snapshot when the answer is regenerated away', async () => {
    const me = await kit.signedIn();
    const { conversationId, answerIds } = await exchange(me);
    await fresh(me).feedback.give({ messageId: answerIds[0]!, type: 'dislike', comment: 'Wrong' });
    await kit.db.orm.em.fork().nativeDelete(Message, { id: answerIds[0]! });
    expect(await fresh(me).feedback.mine({ conversationId })).toEqual([]);
    const kept = await kit.db.orm.em.fork().findOneOrFail(Feedback, { user: me.user.id });
    expect(kept).toMatchObject({ message: null, messageContent: 'Four, says demo.', model: 'demo', type: 'dislike' });
  });

  it('gives admins a filtered, paged list and per-model statistics counted in SQL', async () => {
    const admin = await kit.signedIn('admin');
    const [ann, ben] = [await kit.signedIn(), await kit.signedIn()];
    const models = ['stats-a', 'stats-b'];
    const annChat = await exchange(ann, models);
    const benChat = await exchange(ben, models);
    await fresh(ann).feedback.give({ messageId: annChat.answerIds[0]!, type: 'like' });
    await fresh(ann).feedback.give({ messageId: annChat.answerIds[1]!, type: 'dislike', comment: 'Vague' });
    await fresh(ben).feedback.give({ messageId: benChat.answerIds[0]!, type: 'like' });
    await fresh(ben).feedback.give({ messageId: benChat.answerIds[1]!, type: 'like' });

    const stats = await admin.caller.feedback.admin.stats();
    expect(stats.filter((row) => models.includes(row.model!))).toEqual([
      { model: 'stats-a', likes: 2, dislikes: 0, total: 2, likeRatio: 1 },
      { model: 'stats-b', likes: 1, dislikes: 1, total: 2, likeRatio: 0.5 },
    ]);
    expect(await admin.caller.feedback.admin.stats({ model: 'stats-b' })).toEqual([
      { model: 'stats-b', likes: 1, dislikes: 1, total: 2, likeRatio: 0.5 },
    ]);

    const dislikes = await admin.caller.feedback.admin.list({ model: 'stats-b', type: 'dislike' });
    expect(dislikes.items).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ username: ann.user.username }),
        comment: 'Vague',
        messageContent: 'Four, says stats-b.',
        model: 'stats-b',
      }),
    ]);

    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof admin.caller.feedback.admin.list>> = await admin.caller.feedback.admin.list(
        { model: 'stats-a', limit: 1, cursor },
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(2);

    const future = new Date(Date.now() + 86_400_000);
    expect((await admin.caller.feedback.admin.list({ from: future })).items).toEqual([]);
  });
});
