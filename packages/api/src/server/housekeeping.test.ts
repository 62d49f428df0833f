import { createSession } from '@atrium/auth';
import { makeLocalUser, testClock } from '@atrium/auth/testing';
import { AnswerCache, LoginThrottle, SamlAssertionSeen, Session, SsoRequest } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpired } from './housekeeping';

describe('housekeeping', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  it('deletes expired sessions, cached answers, stale throttle windows and SSO state, and keeps live ones', async () => {
    const clock = testClock(new Date('2026-11-23T10:00:00Z'));
    const em = db.orm.em.fork();
    const { user } = await makeLocalUser(em);
    const stale = await createSession(em, user, { type: 'active_session' }, clock);
    const live = await createSession(em, user, { type: 'remember_token' }, clock);
    em.create(AnswerCache, { user, cacheKey: 'old', question: 'q', answer: 'a', model: 'demo', expiresAt: new Date('2026-11-23T11:00:00Z') });
    em.create(AnswerCache, { user, cacheKey: 'new', question: 'q', answer: 'a', model: 'demo', expiresAt: new Date('2026-12-23T11:00:00Z') });
    em.create(LoginThrottle, { key: 'user:someone', failures: 3, windowStartedAt: new Date('2026-11-20T10:00:00Z') });
    em.create(SsoRequest, { id: 'abandoned', protocol: 'oidc', provider: 'uni', data: {}, expiresAt: new Date('2026-11-23T10:10:00Z') });
    em.create(SamlAssertionSeen, { id: '_old-assertion', issuer: 'https://idp.uni.test', expiresAt: new Date('2026-11-23T10:05:00Z') });
    em.create(SamlAssertionSeen, { id: '_fresh-assertion', issuer: 'https://idp.uni.test', expiresAt: new Date('2026-12-23T10:05:00Z') });
    await em.flush();

    clock.advance(2 * 24 * 60 * 60 * 1000);
    expect(await sweepExpired(db.orm.em.fork(), { now: clock })).toEqual({ sessions: 1, answers: 1, throttles: 1, bans: 0, ssoState: 2 });
    const check = db.orm.em.fork();
    expect((await check.find(Session, {})).map((session) => session.id)).toEqual([live.session.id]);
    expect(await check.count(Session, { id: stale.session.id })).toBe(0);
    expect((await check.find(AnswerCache, {})).map((entry) => entry.cacheKey)).toEqual(['new']);
    expect(await check.count(LoginThrottle, {})).toBe(0);
    expect(await check.count(SsoRequest, {})).toBe(0);
    expect((await check.find(SamlAssertionSeen, {})).map((seen) => seen.id)).toEqual(['_fresh-assertion']);
  });
});
