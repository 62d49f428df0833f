import { Invite, User, ValidationError } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite, registerWithInvite, revokeInvite } from './invites';
import { verifyPassword } from './password';
import { makeLocalUser, testClock } from './test-factories';

describe.each(testDatabaseKinds())('invites on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();
  const admin = async () => (await makeLocalUser(em(), { role: 'admin' })).user;
  const registration = (code: string, username: string) => ({ code, username, displayName: 'New Person', password: 'a long passphrase' });

  it('creates a local account with the role the invite grants and an argon2id hash', async () => {
    const invite = await createInvite(em(), await admin(), { role: 'staff' });
    const user = await registerWithInvite(em(), registration(invite.code.toLowerCase(), 'newstaff'));
    expect(user.role).toBe('staff');
    const stored = await em().findOneOrFail(User, { username: 'newstaff' }, { populate: ['passwordHash'] });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash!, 'a long passphrase')).toBe(true);
    const used = await em().findOneOrFail(Invite, invite.id);
    expect(used).toMatchObject({ isUsed: true });
    expect(used.usedBy?.id).toBe(user.id);
  });

  it('refuses a second use of the same invite code', async () => {
    const invite = await createInvite(em(), await admin(), { role: 'student' });
    await registerWithInvite(em(), registration(invite.code, 'first-user'));
    await expect(registerWithInvite(em(), registration(invite.code, 'second-user'))).rejects.toBeInstanceOf(ValidationError);
    expect(await em().count(User, { username: 'second-user' })).toBe(0);
  });

  it('lets exactly one of many parallel registrations with one code through', async () => {
    const invite = await createInvite(em(), await admin(), { role: 'student' });
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => registerWithInvite(em(), registration(invite.code, `racer-${kind}-${i}`))),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    expect(await em().count(User, { username: { $like: `racer-${kind}-%` } })).toBe(1);
  });

  it('refuses expired and revoked invites', async () => {
    const clock = testClock();
    const creator = await admin();
    const expiring = await createInvite(em(), creator, { role: 'student', expiresAt: new Date(clock().getTime() + 60_000) });
    clock.advance(120_000);
    await expect(registerWithInvite(em(), registration(expiring.code, 'too-late'), clock)).rejects.toThrow(/expired/);
    const revoked = await createInvite(em(), creator, { role: 'student' });
    await revokeInvite(em(), creator, revoked.id);
    await expect(registerWithInvite(em(), registration(revoked.code, 'revoked-user'))).rejects.toThrow(/not valid/);
  });
});
