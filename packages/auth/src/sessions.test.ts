import { Session, User } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  deleteExpiredSessions,
  invalidateUserSessions,
  SESSION_POLICY,
  sessionIdFromToken,
  validateSessionToken,
} from './sessions';
import { makeLocalUser, testClock } from './test-factories';

const HOUR = 60 * 60 * 1000;

describe.each(testDatabaseKinds())('sessions on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const { user } = await makeLocalUser(em());
    const { token, session } = await createSession(em(), user, { type: 'active_session' });
    expect(token).toMatch(/^[a-z2-7]{32}$/); // 20 random bytes
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.id).not.toContain(token);
    const stored = await em().find(Session, { user: user.id });
    expect(stored.map((row) => row.id)).toEqual([sessionIdFromToken(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('slides an active session forward when more than half of it is used up', async () => {
    const clock = testClock();
    const { user } = await makeLocalUser(em());
    const { token, session } = await createSession(em(), user, { type: 'active_session' }, clock);
    const firstExpiry = session.expiresAt.getTime();

    clock.advance(2 * HOUR);
    const early = await validateSessionToken(em(), token, clock);
    expect(early?.renewed).toBe(false);
    expect(early?.session.expiresAt.getTime()).toBe(firstExpiry);

    clock.advance(11 * HOUR); // 13h in: less than 12h left
    const late = await validateSessionToken(em(), token, clock);
    expect(late?.renewed).toBe(true);
    expect(late?.session.expiresAt.getTime()).toBe(clock().getTime() + SESSION_POLICY.active_session.lifetimeMs);
    // The request goes on while the renewal is written.
    await late!.touched;
    const stored = await em().findOneOrFail(Session, sessionIdFromToken(token));
    expect(stored.expiresAt.getTime()).toBe(late!.session.expiresAt.getTime());
  });

  it('never slides a single sign-on session: it ends a day after the sign-in, so the provider is asked again', async () => {
    const clock = testClock();
    const { user } = await makeLocalUser(em());
    const { token, session } = await createSession(em(), user, { type: 'active_session', signInMethod: 'oidc:uni' }, clock);
    clock.advance(13 * HOUR);
    const late = await validateSessionToken(em(), token, clock);
    expect(late?.renewed).toBe(false);
    expect(late?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());
    clock.advance(11 * HOUR);
    expect(await validateSessionToken(em(), token, clock)).toBeNull();
  });

  it('rejects and deletes an expired session; a remember-me session lives 30 days', async () => {
    const clock = testClock();
    const { user } = await makeLocalUser(em());
    const short = await createSession(em(), user, { type: 'active_session' }, clock);
    const long = await createSession(em(), user, { type: 'remember_token' }, clock);
    clock.advance(25 * HOUR);
    expect(await validateSessionToken(em(), short.token, clock)).toBeNull();
    expect(await em().count(Session, { id: short.session.id })).toBe(0);
    expect(await validateSessionToken(em(), long.token, clock)).not.toBeNull();
    clock.advance(31 * 24 * HOUR);
    expect(await validateSessionToken(em(), long.token, clock)).toBeNull();
  });

  it('refuses unknown and malformed tokens', async () => {
    expect(await validateSessionToken(em(), 'a'.repeat(32))).toBeNull();
    expect(await validateSessionToken(em(), "' or 1=1 --")).toBeNull();
    expect(await validateSessionToken(em(), '')).toBeNull();
  });

  it("ends a banned user's sessions on their next use", async () => {
    const { user } = await makeLocalUser(em());
    const { token } = await createSession(em(), user, { type: 'remember_token' });
    await em().nativeUpdate(User, { id: user.id }, { isBanned: true });
    expect(await validateSessionToken(em(), token)).toBeNull();
    expect(await em().count(Session, { user: user.id })).toBe(0);
  });

  it('revokes all other sessions but keeps the one asked to keep', async () => {
    const { user } = await makeLocalUser(em());
    const keep = await createSession(em(), user, { type: 'active_session' });
    await createSession(em(), user, { type: 'active_session' });
    await createSession(em(), user, { type: 'remember_token' });
    expect(await invalidateUserSessions(em(), user.id, keep.session.id)).toBe(2);
    expect((await em().find(Session, { user: user.id })).map((s) => s.id)).toEqual([keep.session.id]);
  });

  it('cleans up expired sessions in bulk', async () => {
    const clock = testClock(new Date('2030-01-01T00:00:00Z'));
    const { user } = await makeLocalUser(em());
    await createSession(em(), user, { type: 'active_session' }, clock);
    clock.advance(48 * HOUR);
    expect(await deleteExpiredSessions(em(), clock)).toBeGreaterThanOrEqual(1);
    expect(await em().count(Session, { user: user.id })).toBe(0);
  });
});
