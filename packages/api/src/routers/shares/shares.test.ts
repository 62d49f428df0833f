import { Conversation, Message, SharedSnapshot } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('sharing a chat on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());

  /** A chat of two answers to one question; the second answer is in view. */
  async function chatOf(owner: Awaited<ReturnType<ApiTestKit['signedIn']>>) {
    const conversation = await owner.caller.chat.create({ title: 'Exam timetable' });
    const em = kit.db.orm.em.fork();
    const question = em.create(Message, { conversation: conversation.id, role: 'user', content: 'When is the calculus exam?', createdAt: new Date(Date.UTC(2026, 0, 1)) });
    em.create(Message, { conversation: conversation.id, parent: question, role: 'assistant', content: 'An older answer.', model: 'demo', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 1)) });
    const answer = em.create(Message, { conversation: conversation.id, parent: question, role: 'assistant', content: 'On **14 January**.', model: 'demo', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)) });
    await em.flush();
    await em.nativeUpdate(Conversation, { id: conversation.id }, { activeLeaf: answer.id });
    return { conversationId: conversation.id, questionId: question.id, answerId: answer.id };
  }

  it('shows another member the branch in view, unchanged when the chat goes on, and no account data', async () => {
    const owner = await kit.signedIn();
    const viewer = await kit.signedIn();
    const { conversationId, answerId } = await chatOf(owner);
    const share = await owner.caller.shares.create({ conversationId });
    expect(share).toMatchObject({ conversationId, title: 'Exam timetable', messageCount: 2, public: false, revokedAt: null });

    // The chat goes on: a new question, a new title.
    const em = kit.db.orm.em.fork();
    const next = em.create(Message, { conversation: conversationId, parent: answerId, role: 'user', content: 'And physics?', createdAt: new Date(Date.UTC(2026, 0, 2)) });
    await em.flush();
    await em.nativeUpdate(Conversation, { id: conversationId }, { activeLeaf: next.id, title: 'Renamed' });

    const opened = await viewer.caller.shares.open({ id: share.id });
    expect(opened.title).toBe('Exam timetable');
    expect(opened.messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'When is the calculus exam?'],
      ['assistant', 'On **14 January**.'],
    ]);
    // Neither the owner's nor the viewer's account is in the answer.
    const text = JSON.stringify(opened);
    for (const user of [owner.user, viewer.user]) {
      expect(text).not.toContain(user.id);
      expect(text).not.toContain(user.username);
      expect(text).not.toContain(user.displayName);
    }
    expect(Object.keys(opened).sort()).toEqual(['id', 'messages', 'sharedAt', 'title']);
  });

  it('refuses a signed-out visitor, and refuses everyone once the link is revoked', async () => {
    const owner = await kit.signedIn();
    const viewer = await kit.signedIn();
    const { conversationId } = await chatOf(owner);
    const share = await owner.caller.shares.create({ conversationId });

    await expect(kit.anonymous().shares.open({ id: share.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // A suspended member is no member: refused like the signed-out, but told why.
    viewer.user.isBanned = true;
    await expect(viewer.caller.shares.open({ id: share.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    viewer.user.isBanned = false;

    await owner.caller.shares.revoke({ id: share.id });
    await expect(viewer.caller.shares.open({ id: share.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(owner.caller.shares.open({ id: share.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const mine = await owner.caller.shares.mine({ conversationId });
    expect(mine.items).toEqual([expect.objectContaining({ id: share.id, revokedAt: expect.any(Date) })]);
  });

  it('lets only the owner revoke or list a link, and share only their own chats', async () => {
    const owner = await kit.signedIn();
    const other = await kit.signedIn();
    const { conversationId } = await chatOf(owner);
    const share = await owner.caller.shares.create({ conversationId });

    await expect(other.caller.shares.revoke({ id: share.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.caller.shares.create({ conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await other.caller.shares.mine({})).items).toEqual([]);
    // Still open: the failed revoke changed nothing.
    expect((await other.caller.shares.open({ id: share.id })).title).toBe('Exam timetable');
    const row = await kit.db.orm.em.fork().findOneOrFail(SharedSnapshot, share.id);
    expect(row.revokedAt).toBeNull();
  });

  it('makes public links only while an administrator allows them', async () => {
    const owner = await kit.signedIn();
    const admin = await kit.signedIn('admin');
    const { conversationId } = await chatOf(owner);
    await expect(owner.caller.shares.create({ conversationId, public: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.caller.shares.admin.updateSettings({ allowPublicLinks: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await admin.caller.shares.admin.updateSettings({ allowPublicLinks: true });
    const share = await owner.caller.shares.create({ conversationId, public: true });
    expect(share.public).toBe(true);
    expect((await kit.anonymous().shares.open({ id: share.id })).title).toBe('Exam timetable');

    // Turned off again: the public link needs a sign-in.
    await admin.caller.shares.admin.updateSettings({ allowPublicLinks: false });
    await expect(kit.anonymous().shares.open({ id: share.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await owner.caller.shares.mine({ conversationId })).items[0]!.public).toBe(false);
  });

  it('refuses malformed links and empty chats, and deleting the chat takes its links', async () => {
    const owner = await kit.signedIn();
    await expect(owner.caller.shares.open({ id: 'not-a-link' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const empty = await owner.caller.chat.create({ title: 'Empty' });
    await expect(owner.caller.shares.create({ conversationId: empty.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const { conversationId } = await chatOf(owner);
    const share = await owner.caller.shares.create({ conversationId });
    await owner.caller.chat.delete({ id: conversationId });
    await expect(owner.caller.shares.open({ id: share.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
