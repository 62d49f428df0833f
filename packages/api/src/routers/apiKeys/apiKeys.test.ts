import { ApiKey, AuditEvent, User } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { authenticateApiKey } from './apiKeys.service';

const DAY = 86_400_000;

describe.each(testDatabaseKinds())('API keys on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());
  const em = () => kit.db.orm.em.fork();
  const authenticate = (key: string, ip: string | null = '192.0.2.7') => authenticateApiKey(em(), key, { ip, now: kit.clock });

  it('shows a new key once, keeps only its hash, and lists it by name and prefix', async () => {
    const staff = await kit.signedIn('staff');
    const created = await staff.caller.apiKeys.create({ name: '  Grading script ' });
    expect(created.key).toMatch(/^atr_[a-z2-7]{40}$/);
    expect(created.apiKey).toMatchObject({ name: 'Grading script', prefix: created.key.slice(0, 12), state: 'active', expiresAt: null });

    const mine = await staff.caller.apiKeys.mine();
    expect(mine.allowed).toBe(true);
    expect(mine.keys.map((key) => key.id)).toEqual([created.apiKey.id]);
    expect(JSON.stringify(mine)).not.toContain(created.key);
    const stored = await em().findOneOrFail(ApiKey, created.apiKey.id);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(12));

    const found = await authenticate(created.key);
    expect(found?.user.id).toBe(staff.user.id);
    await found!.touched; // written beside the request
    expect((await staff.caller.apiKeys.mine()).keys[0]).toMatchObject({ lastUsedIp: '192.0.2.7', lastUsedAt: kit.clock() });
  });

  it('lets admins decide per role, and a user’s own permission beats the role', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn('student');
    expect((await admin.caller.apiKeys.admin.settings()).keyRoles).toEqual(['staff', 'admin']);
    expect((await student.caller.apiKeys.mine()).allowed).toBe(false);
    await expect(student.caller.apiKeys.create({ name: 'Notebook' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await admin.caller.users.setPermissions({ id: student.user.id, permissions: { createApiKeys: true } });
    const granted = kit.callerFor(await em().findOneOrFail(User, student.user.id));
    const { key } = await granted.apiKeys.create({ name: 'Notebook' });
    expect(await authenticate(key)).not.toBeNull();

    // Withdrawing the permission stops the keys already made, at once.
    await admin.caller.users.setPermissions({ id: student.user.id, permissions: { createApiKeys: false } });
    expect(await authenticate(key)).toBeNull();

    const settings = await admin.caller.apiKeys.admin.updateSettings({ keyRoles: ['student', 'staff'], applyIdentity: false, storeConversations: true });
    expect(settings).toMatchObject({ keyRoles: ['student', 'staff'], applyIdentity: false, storeConversations: true });
    const other = await kit.signedIn('student');
    expect((await other.caller.apiKeys.mine()).allowed).toBe(true);
    expect(await em().count(AuditEvent, { actor: admin.user.id, action: 'apiSettings.update' })).toBe(1);
    await admin.caller.apiKeys.admin.updateSettings({ keyRoles: ['staff', 'admin'], applyIdentity: true, storeConversations: false });
    await expect(student.caller.apiKeys.admin.settings()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      admin.caller.apiKeys.admin.updateSettings({ keyRoles: ['root' as 'admin'], applyIdentity: true, storeConversations: false }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses expired, revoked and banned or deleted owners’ keys', async () => {
    const staff = await kit.signedIn('staff');
    const expiring = await staff.caller.apiKeys.create({ name: 'Short', expiresAt: new Date(kit.clock().getTime() + DAY) });
    const revoked = await staff.caller.apiKeys.create({ name: 'Revoked' });
    expect(await authenticate(expiring.key)).not.toBeNull();
    kit.clock.advance(DAY + 1);
    expect(await authenticate(expiring.key)).toBeNull();
    expect((await staff.caller.apiKeys.mine()).keys.find((key) => key.id === expiring.apiKey.id)?.state).toBe('expired');

    expect(await staff.caller.apiKeys.revoke({ id: revoked.apiKey.id })).toEqual({ revoked: true });
    expect(await authenticate(revoked.key)).toBeNull();
    expect((await staff.caller.apiKeys.mine()).keys.find((key) => key.id === revoked.apiKey.id)?.state).toBe('revoked');
    await expect(staff.caller.apiKeys.create({ name: 'Past', expiresAt: new Date(kit.clock().getTime() - 1) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    const live = await staff.caller.apiKeys.create({ name: 'Live' });
    const admin = await kit.signedIn('admin');
    await admin.caller.users.setBanned({ id: staff.user.id, banned: true, reason: 'Testing a banned key owner' });
    expect(await authenticate(live.key)).toBeNull();
    await admin.caller.users.setBanned({ id: staff.user.id, banned: false });
    expect(await authenticate(live.key)).not.toBeNull();
    await admin.caller.users.delete({ id: staff.user.id });
    expect(await authenticate(live.key)).toBeNull();
    expect(await em().count(ApiKey, { user: staff.user.id })).toBe(0);
    // Not a key at all, or a session-shaped token: nothing.
    expect(await authenticate('atr_short')).toBeNull();
    expect(await authenticate(`atr_${'a'.repeat(40)}`)).toBeNull();
  });

  it('hides other users’ keys (404) and lets admins see and revoke any key, audited', async () => {
    const owner = await kit.signedIn('staff');
    const stranger = await kit.signedIn('staff');
    const { key, apiKey } = await owner.caller.apiKeys.create({ name: 'Mine' });
    expect((await stranger.caller.apiKeys.mine()).keys).toEqual([]);
    await expect(stranger.caller.apiKeys.revoke({ id: apiKey.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await authenticate(key)).not.toBeNull();
    await expect(stranger.caller.apiKeys.admin.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(stranger.caller.apiKeys.admin.revoke({ id: apiKey.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const admin = await kit.signedIn('admin');
    const listed = await admin.caller.apiKeys.admin.list({ userId: owner.user.id });
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({ id: apiKey.id, name: 'Mine', owner: { username: owner.user.username }, state: 'active' });
    expect(JSON.stringify(listed)).not.toMatch(/tokenHash|atr_[a-z2-7]{40}/);
    await admin.caller.apiKeys.admin.revoke({ id: apiKey.id });
    expect(await authenticate(key)).toBeNull();
    expect((await admin.caller.apiKeys.admin.list({ userId: owner.user.id, state: 'active' })).total).toBe(0);
    const audit = await em().findOneOrFail(AuditEvent, { action: 'apiKey.revoke', target: owner.user.id });
    expect(audit.data).toMatchObject({ apiKey: apiKey.id, name: 'Mine' });
    await expect(admin.caller.apiKeys.admin.revoke({ id: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not let a key create more keys', async () => {
    const staff = await kit.signedIn('staff');
    const { apiKey } = await staff.caller.apiKeys.create({ name: 'First' });
    const withKey = kit.callerFor(staff.user, { apiKey, meta: { authMethod: 'apiKey' } });
    await expect(withKey.apiKeys.create({ name: 'Second' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await withKey.apiKeys.mine()).keys).toHaveLength(1);
  });
});
