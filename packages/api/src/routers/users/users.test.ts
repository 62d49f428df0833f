import { AuditEvent, Conversation, Message, Session, User } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { recordIdentity } from '@atrium/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpired } from '../../server/housekeeping';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('users router on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());
  const em = () => kit.db.orm.em.fork();

  it('searches users by name with pagination and never shows password hashes', async () => {
    const admin = await kit.signedIn('admin');
    const marker = `zz${kind}`;
    const fork = em();
    for (let i = 0; i < 3; i++) fork.create(User, { username: `${marker}-${i}`, displayName: `Searchable ${i}` });
    await fork.flush();
    const page = await admin.caller.users.search({ query: marker, limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.items.map((user) => user.username)).toEqual([`${marker}-0`, `${marker}-1`]);
    expect(JSON.stringify(page)).not.toMatch(/passwordHash|argon2/);
    // Filter metacharacters are searched literally.
    expect((await admin.caller.users.search({ query: '%' })).total).toBe(0);
  });

  it('sets the role, bans (ending sessions at once) and unbans, auditing each change', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn('student');
    expect((await admin.caller.users.setRole({ id: student.user.id, role: 'staff' })).role).toBe('staff');
    expect((await admin.caller.users.setBanned({ id: student.user.id, banned: true, reason: 'Spam' })).isBanned).toBe(true);
    expect(await em().count(Session, { user: student.user.id })).toBe(0);
    expect((await admin.caller.users.setBanned({ id: student.user.id, banned: false })).isBanned).toBe(false);
    const actions = (await em().find(AuditEvent, { target: student.user.id }, { orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['user.setRole', 'user.ban', 'user.unban']);
  });

  it('shows how a user signed in, and refuses an unknown user with NOT_FOUND', async () => {
    const admin = await kit.signedIn('admin');
    const ldapUser = em();
    const person = ldapUser.create(User, { username: `dir-${kind}`, displayName: 'Directory Person', authSource: 'ldap' });
    await ldapUser.flush();
    await recordIdentity(em(), person, { method: 'ldap', issuer: 'dc=uni,dc=test', subject: person.username }, kit.clock);
    kit.clock.advance(60_000);
    await recordIdentity(em(), person, { method: 'oidc', issuer: 'https://sso.uni.test/realms/uni', subject: 'sub-1' }, kit.clock);
    const identities = await admin.caller.users.identities({ id: person.id });
    expect(identities.map(({ method, issuer, subject }) => ({ method, issuer, subject }))).toEqual([
      { method: 'oidc', issuer: 'https://sso.uni.test/realms/uni', subject: 'sub-1' },
      { method: 'ldap', issuer: 'dc=uni,dc=test', subject: `dir-${kind}` },
    ]);
    await expect(admin.caller.users.identities({ id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('bans with a reason and an end: sign-in says both, the ban lifts by itself at the end, each step audited', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn('student');
    const signIn = () => kit.anonymous().auth.signIn({ username: student.user.username, password: student.password });
    await expect(admin.caller.users.setBanned({ id: student.user.id, banned: true, reason: '  ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      admin.caller.users.setBanned({ id: student.user.id, banned: true, reason: 'Too late', until: new Date(kit.clock().getTime() - 1000) }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const until = new Date(kit.clock().getTime() + 60 * 60 * 1000);
    const banned = await admin.caller.users.setBanned({ id: student.user.id, banned: true, reason: 'Abusive messages', until });
    expect(banned).toMatchObject({ isBanned: true, banReason: 'Abusive messages', bannedUntil: until });
    const refusal = await signIn().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'FORBIDDEN', message: 'This account is suspended.' });
    expect((refusal as { cause: { ban: unknown } }).cause.ban).toEqual({ reason: 'Abusive messages', until: until.toISOString() });
    expect(await em().count(Session, { user: student.user.id })).toBe(0);

    kit.clock.advance(60 * 60 * 1000 + 1);
    // The ban no longer applies the moment it ends, before any sweep ran.
    expect((await signIn()).user.username).toBe(student.user.username);
    expect(await sweepExpired(kit.db.orm.em.fork(), kit.config)).toMatchObject({ bans: 1 });
    // A fresh request (the caller above keeps the user it loaded in its identity map).
    expect(await kit.callerFor(admin.user).users.get({ id: student.user.id })).toMatchObject({ isBanned: false, banReason: null, bannedUntil: null });
    const events = await em().find(AuditEvent, { target: student.user.id }, { orderBy: { createdAt: 'asc' } });
    expect(events.map((event) => [event.action, event.actor?.id ?? null, event.data])).toEqual([
      ['user.ban', admin.user.id, { reason: 'Abusive messages', until: until.toISOString() }],
      ['user.unban', null, { expired: true }],
    ]);
  });

  it('validates limits, permissions and unlocks and stores them', async () => {
    const admin = await kit.signedIn('admin');
    const { user } = await kit.signedIn();
    await admin.caller.users.setLimits({ id: user.id, limits: { demo: { dailyRequestLimit: 5 } } });
    await admin.caller.users.setPermissions({ id: user.id, permissions: { uploadDocuments: false } });
    await admin.caller.users.setUnlocks({ id: user.id, unlocks: { 'image-generation': true } });
    expect(await admin.caller.users.get({ id: user.id })).toMatchObject({
      limits: { demo: { dailyRequestLimit: 5 } },
      permissions: { uploadDocuments: false },
      unlocks: { 'image-generation': true },
    });
    await expect(
      admin.caller.users.setLimits({ id: user.id, limits: { demo: { dailyRequestLimit: -1 } } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      admin.caller.users.setPermissions({ id: user.id, permissions: { launchRockets: true } as never }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('deletes a user and everything that is theirs; refuses to delete yourself', async () => {
    const admin = await kit.signedIn('admin');
    const { user } = await kit.signedIn();
    const fork = em();
    const conversation = fork.create(Conversation, { user: user.id, title: 'Mine' });
    fork.create(Message, { conversation, role: 'user', content: 'hello' });
    await fork.flush();
    await admin.caller.users.delete({ id: user.id });
    expect(await em().count(User, { id: user.id })).toBe(0);
    expect(await em().count(Conversation, { id: conversation.id })).toBe(0);
    expect(await em().count(Message, { conversation: conversation.id })).toBe(0);
    await expect(admin.caller.users.delete({ id: admin.user.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.caller.users.get({ id: user.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
