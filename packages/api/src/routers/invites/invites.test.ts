import { AuditEvent } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe('invites router', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  it('creates, lists, redeems and revokes invites, auditing each admin action', async () => {
    const admin = await kit.signedIn('admin');
    const invite = await admin.caller.invites.create({ role: 'staff', note: 'New lecturer' });
    expect(invite).toMatchObject({ role: 'staff', status: 'open', note: 'New lecturer' });
    expect(invite.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const registered = await kit.anonymous().auth.register({
      code: invite.code,
      username: 'Lecturer.One',
      displayName: 'Lecturer One',
      password: 'long enough password',
    });
    expect(registered.user).toMatchObject({ username: 'lecturer.one', role: 'staff' });

    const spare = await admin.caller.invites.create({ role: 'student' });
    await admin.caller.invites.revoke({ id: spare.id });
    const { items } = await admin.caller.invites.list({});
    expect(items.find((item) => item.id === invite.id)).toMatchObject({ status: 'used', usedBy: 'lecturer.one' });
    expect(items.find((item) => item.id === spare.id)).toMatchObject({ status: 'revoked' });
    await expect(admin.caller.invites.revoke({ id: invite.id })).rejects.toMatchObject({ code: 'CONFLICT' });

    const audit = await kit.db.orm.em.fork().find(AuditEvent, { actor: admin.user.id }, { orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['invite.create', 'invite.create', 'invite.revoke']);
  });

  it('refuses an expiry in the past and an unknown invite id', async () => {
    const admin = await kit.signedIn('admin');
    await expect(admin.caller.invites.create({ expiresAt: new Date(kit.clock().getTime() - 1000) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.caller.invites.revoke({ id: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives form-ready field errors for a bad registration', async () => {
    await expect(
      kit.anonymous().auth.register({ code: 'x', username: '!', displayName: '', password: 'short' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
