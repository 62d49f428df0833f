import { Attachment, AuditEvent, Conversation, ConversationSummary, exportStorageKey, Message, User } from '@atrium/db';
import { findTraces, testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { afterWorkSettled } from '../chat/chat.service';
import { identifiersOf, scrubJson } from './erasure.service';
import { buildExportJob } from './export.job';

type Caller = ReturnType<ApiTestKit['anonymous']>;

async function drain(stream: AsyncIterable<unknown>) {
  const events: { type: string; [key: string]: unknown }[] = [];
  for await (const event of stream) events.push(event as (typeof events)[number]);
  return events;
}

describe('scrubJson', () => {
  it('replaces identifiers in keys and strings at any depth, whole words only for names', () => {
    const data = { username: 'ali', note: 'for Ali Veli and Alice', nested: [{ 'ali@uni.edu': 'x' }], n: 3 };
    expect(scrubJson(data, ['ali', 'Ali Veli', 'ali@uni.edu'], 'T')).toEqual({ username: 'T', note: 'for T and Alice', nested: [{ T: 'x' }], n: 3 });
  });
});

describe.each(testDatabaseKinds())('erasure on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });
  const em = () => kit.db.orm.em.fork();

  /** A user with a footprint everywhere a user can leave one, through the same procedures the apps use. */
  async function fullFootprint(admin: Caller, tag: string) {
    const profile = {
      username: `zeynep-${tag}`,
      displayName: `Zeynep Çağlar ${tag}`,
      email: `zeynep.${tag}@uni.example`,
      password: 'correct horse battery staple',
    };
    const invite = await admin.invites.create({ role: 'student', note: `for ${profile.displayName}` });
    await kit.anonymous().auth.register({ code: invite.code, ...profile });
    // A failed sign-in leaves a throttle row keyed by the username; a real one leaves a session.
    await expect(kit.anonymous().auth.signIn({ username: profile.username, password: 'wrong password' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await kit.callerFor(null, { meta: { ip: '203.0.113.9', userAgent: 'Firefox' } }).auth.signIn(profile);
    const user = await em().findOneOrFail(User, { username: profile.username });
    const me = kit.callerFor(user);

    const first = await drain(await me.chat.send({ content: `Hello, I am ${profile.displayName}. What is entropy?`, modelId: 'demo' }));
    const conversationId = (first[0] as unknown as { conversation: { id: string } }).conversation.id;
    await drain(await me.chat.send({ conversationId, content: 'And enthalpy?', modelId: 'demo' }));
    await afterWorkSettled();
    const answer = (await me.chat.messages({ conversationId })).items.find((message) => message.role === 'assistant')!;
    await me.feedback.give({ messageId: answer.id, type: 'like', comment: `Thanks from ${profile.displayName}` });
    await me.preferences.create({ key: 'name', value: profile.displayName });
    await me.presets.create({ name: `${profile.username}'s style`, systemPromptTemplate: 'Call me {{user.displayName}}.' });

    // A finished "download my data" archive: its bytes name them in the file store.
    const { id: exportId } = await me.account.requestExport();
    await kit.jobs.drain({ only: [buildExportJob] });

    const fork = em();
    const message = await fork.findOneOrFail(Message, { id: answer.id });
    fork.create(Attachment, { user: user.id, message, type: 'document', name: `${profile.username}-cv.pdf`, mimeType: 'application/pdf', size: 3, storageKey: `files/${user.id}` });
    fork.create(ConversationSummary, { conversation: conversationId, summary: `${profile.displayName} asked about entropy.`, messageCountAtUpdate: 2, coveredCount: 2, lastMessage: message });
    await fork.flush();
    return { user, profile, me, conversationId, exportId };
  }

  const monthTotals = async (admin: Caller) =>
    (await admin.usage.admin.analytics({ from: '2026-01-01', to: '2027-12-31', groupBy: 'model' })).map(({ key, requests, promptTokens, completionTokens, costMicros }) => ({
      key,
      requests,
      promptTokens,
      completionTokens,
      costMicros,
    }));

  it('leaves no column of any table holding the erased user, keeps usage in the totals and the audit trail under a tombstone', async () => {
    const admin = await kit.signedIn('admin');
    // Shared caching: an entry made from their question is served to others, so it must go too.
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: true });
    const doomed = await fullFootprint(admin.caller, `${kind}-a`);
    const bystander = await fullFootprint(admin.caller, `${kind}-b`);

    // Audit events by them (as an administrator for a while) and about them.
    await admin.caller.users.setRole({ id: doomed.user.id, role: 'admin' });
    const asAdmin = kit.callerFor(await em().findOneOrFail(User, { id: doomed.user.id }));
    await asAdmin.invites.create({ role: 'student', note: `made by ${doomed.profile.displayName}` });
    await admin.caller.users.setRole({ id: doomed.user.id, role: 'staff' });
    await admin.caller.users.setLimits({ id: doomed.user.id, limits: { demo: { dailyRequestLimit: 50 } } });
    const auditBefore = (await em().find(AuditEvent, {}, { orderBy: { createdAt: 'asc', id: 'asc' } })).map((event) => [event.action, event.createdAt.getTime()]);
    const totalsBefore = await monthTotals(admin.caller);
    expect(await findTraces(em(), identifiersOf(doomed.user))).not.toEqual([]);

    await admin.caller.users.delete({ id: doomed.user.id });

    expect(await findTraces(em(), identifiersOf(doomed.user))).toEqual([]);
    // The archive is compressed, so the walk cannot read it: it must be gone from the store itself.
    expect(await kit.config.files!.exists(exportStorageKey(doomed.exportId))).toBe(false);
    expect(await kit.config.files!.exists(exportStorageKey(bystander.exportId))).toBe(true);
    // Nobody else's data went with them.
    expect((await findTraces(em(), identifiersOf(bystander.user))).map((trace) => trace.table)).toEqual(
      expect.arrayContaining(['public.users', 'public.messages', 'public.user_preferences', 'public.presets', 'public.feedback', 'public.attachments']),
    );
    expect((await bystander.me.chat.messages({ conversationId: bystander.conversationId })).items).toHaveLength(4);

    // The month's usage and cost are what they were, and their role still counts it.
    expect(await monthTotals(admin.caller)).toEqual(totalsBefore);
    const byUser = await admin.caller.usage.admin.analytics({ from: '2026-01-01', to: '2027-12-31', groupBy: 'user' });
    expect(byUser.find((row) => row.key === '')).toMatchObject({ requests: 2, users: 0 });
    const byRole = await admin.caller.usage.admin.analytics({ from: '2026-01-01', to: '2027-12-31', groupBy: 'role' });
    expect(byRole.find((row) => row.key === 'staff')).toMatchObject({ requests: 2 });

    // Every audit event is still there with its action and time, plus the erasure itself; the
    // events by them name one tombstone, the same one their events as a target name.
    const auditAfter = await em().find(AuditEvent, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    expect(auditAfter.map((event) => [event.action, event.createdAt.getTime()]).slice(0, auditBefore.length)).toEqual(auditBefore);
    const erasure = auditAfter.find((event) => event.action === 'user.erase')!;
    expect(erasure.target).toMatch(/^erased-user-[0-9a-f]{12}$/);
    const byThem = auditAfter.filter((event) => event.actorLabel !== null && event.actorLabel !== undefined);
    expect(byThem.map((event) => [event.action, event.actorLabel])).toEqual([['invite.create', erasure.target]]);
    expect(auditAfter.filter((event) => event.target === erasure.target).map((event) => event.action)).toEqual([
      'user.setRole',
      'user.setRole',
      'user.set.limits',
      'user.erase',
    ]);
  });

  it('never gives quota back when chats are deleted', async () => {
    const admin = await kit.signedIn('admin');
    const { me, conversationId } = await fullFootprint(admin.caller, `${kind}-q`);
    const before = await me.usage.mine();
    await me.chat.delete({ id: conversationId });
    expect(await me.usage.mine()).toEqual(before);
  });

  it('deletes my own account only with my password and my username typed, then nothing of me is left', async () => {
    const admin = await kit.signedIn('admin');
    const { user, profile, me } = await fullFootprint(admin.caller, `${kind}-s`);
    await expect(me.account.delete({ password: 'not my password', confirmUsername: profile.username })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(me.account.delete({ password: profile.password, confirmUsername: 'someone-else' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(me.account.delete({ password: '', confirmUsername: profile.username })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await em().count(Conversation, { user: user.id })).toBe(1);

    expect(await me.account.delete({ password: profile.password, confirmUsername: ` ${profile.username.toUpperCase()} ` })).toEqual({ deleted: true });
    expect(await findTraces(em(), identifiersOf(user))).toEqual([]);
    const erasure = await em().findOneOrFail(AuditEvent, { action: 'user.erase', data: { by: 'self' } });
    expect(erasure.actorLabel).toBe(erasure.target);
    await expect(kit.anonymous().auth.signIn({ username: profile.username, password: profile.password })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses to let the last administrator delete themself', async () => {
    const last = await kit.signedIn('admin');
    const fork = em();
    const others = await fork.find(User, { role: 'admin', id: { $ne: last.user.id } });
    // Everyone else steps down for this test, then back.
    for (const other of others) other.role = 'staff';
    await fork.flush();
    try {
      await expect(last.caller.account.delete({ password: last.password, confirmUsername: last.user.username })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await em().count(User, { id: last.user.id })).toBe(1);
    } finally {
      for (const other of others) other.role = 'admin';
      await fork.flush();
    }
  });
});
