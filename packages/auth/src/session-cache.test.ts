import { Session, tableWatchOf, User, type RowKey } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache';
import { countingDatabase, heardOn, statementsOf, twoReplicas, unobserved } from './test-databases';
import { createSession, invalidateSession, invalidateUserSessions, SESSION_POLICY, validateSessionToken } from './sessions';
import { makeLocalUser, testClock } from './test-factories';
import { setUserBanned, setUserRole } from './users';

const HOUR = 60 * 60 * 1000;

describe.each(testDatabaseKinds())('the session cache on %s (this process writes)', (kind) => {
  let db: Awaited<ReturnType<typeof countingDatabase>>;
  beforeAll(async () => {
    db = await countingDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();

  async function signedIn(type: 'active_session' | 'remember_token' = 'active_session', clock = testClock()) {
    const { user } = await makeLocalUser(em(), { role: 'student' });
    const { token, session } = await createSession(em(), user, { type }, clock);
    expect(await validateSessionToken(em(), token, clock)).not.toBeNull();
    return { user, token, session, clock };
  }

  it('answers a session seen within the minute without a statement, and still records last seen once a minute', async () => {
    const { token, session, clock } = await signedIn();
    const again = await statementsOf(db.sent, () => validateSessionToken(em(), token, clock));
    expect(again).toEqual([]);
    clock.advance(61_000);
    // The touch is written while the request goes on: `touched` settles once it is.
    const touch = await statementsOf(db.sent, async () => (await validateSessionToken(em(), token, clock))?.touched);
    expect(touch).toHaveLength(1);
    expect(touch[0]).toMatch(/^update sessions set last_seen_at = /);
    expect((await em().findOneOrFail(Session, session.id)).lastSeenAt.getTime()).toBe(clock().getTime());
    // The touch kept the cached copy: the next request sends nothing again.
    expect(await statementsOf(db.sent, () => validateSessionToken(em(), token, clock))).toEqual([]);
  });

  it.runIf(kind === 'postgresql')("answers a request without waiting for its minute's touch to be written", async () => {
    const { token, session, clock } = await signedIn();
    clock.advance(61_000);
    // Another transaction holds the session's row: the touch waits for it, the request does not.
    const holder = em();
    await holder.begin();
    await holder.execute('select id from sessions where id = ? for update', [session.id]);
    const seen = await validateSessionToken(em(), token, clock);
    expect(seen?.session.lastSeenAt.getTime()).toBe(clock().getTime());
    let written = false;
    void seen!.touched.then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBe(false);
    await holder.commit();
    await seen!.touched;
    expect((await em().findOneOrFail(Session, session.id)).lastSeenAt.getTime()).toBe(clock().getTime());
  });

  it('gives each request its own managed user, never a shared object', async () => {
    const { user, token, clock } = await signedIn();
    await em().nativeUpdate(User, { id: user.id }, { limits: { demo: { dailyRequestLimit: 5 } } });
    const first = em();
    const a = await validateSessionToken(first, token, clock);
    const b = await validateSessionToken(em(), token, clock);
    expect(a!.user).not.toBe(b!.user);
    expect(a!.user.limits).toEqual({ demo: { dailyRequestLimit: 5 } });
    expect(a!.user.limits).not.toBe(b!.user.limits);
    expect(first.getUnitOfWork().getById(User, a!.user.id)).toBe(a!.user);
  });

  it("tracks the cached user's changes as a read user's: an untouched flush writes nothing, an edit (JSON too) is saved", async () => {
    const { user, token, clock } = await signedIn();
    await em().nativeUpdate(User, { id: user.id }, { limits: { demo: { dailyRequestLimit: 5 } } });
    const request = em();
    const cached = (await validateSessionToken(request, token, clock))!.user;
    expect(await statementsOf(db.sent, () => request.flush())).toEqual([]);
    cached.limits.demo!.dailyRequestLimit = 7;
    cached.displayName = 'Renamed';
    await request.flush();
    const stored = await em().findOneOrFail(User, user.id);
    expect(stored.limits).toEqual({ demo: { dailyRequestLimit: 7 } });
    expect(stored.displayName).toBe('Renamed');
    expect(await request.findOneOrFail(User, user.id)).toBe(cached);
  });

  it('refuses a signed-out session on the very next request', async () => {
    const { token, session, clock } = await signedIn();
    const bystander = await signedIn();
    await invalidateSession(em(), session.id);
    expect(await validateSessionToken(em(), token, clock)).toBeNull();
    // Only that row was dropped.
    expect(await statementsOf(db.sent, () => validateSessionToken(em(), bystander.token, bystander.clock))).toEqual([]);
  });

  it('refuses every other session after "sign out everywhere" (a password change does the same), keeping the one asked to keep', async () => {
    const { user, token, session, clock } = await signedIn();
    const other = await createSession(em(), user, { type: 'remember_token' }, clock);
    expect(await validateSessionToken(em(), other.token, clock)).not.toBeNull();
    await invalidateUserSessions(em(), user.id, session.id);
    expect(await validateSessionToken(em(), other.token, clock)).toBeNull();
    expect(await validateSessionToken(em(), token, clock)).not.toBeNull();
    await invalidateUserSessions(em(), user.id);
    expect(await validateSessionToken(em(), token, clock)).toBeNull();
  });

  it('refuses a banned user on the very next request, whichever way the ban was written', async () => {
    const { user: admin } = await makeLocalUser(em(), { role: 'admin' });
    const banned = await signedIn();
    await setUserBanned(em(), admin, banned.user.id, { banned: true, reason: 'abuse', until: null }, banned.clock);
    expect(await validateSessionToken(em(), banned.token, banned.clock)).toBeNull();

    // A bare statement, no session deleted: the ban alone refuses (and then ends the session).
    const flagged = await signedIn();
    await em().execute('update users set is_banned = true where id = ?', [flagged.user.id]);
    expect(await validateSessionToken(em(), flagged.token, flagged.clock)).toBeNull();
    expect(await em().count(Session, { user: flagged.user.id })).toBe(0);
  });

  it('shows a role change on the very next request', async () => {
    const { user: admin } = await makeLocalUser(em(), { role: 'admin' });
    const { user, token, clock } = await signedIn();
    const bystander = await signedIn();
    await setUserRole(em(), admin, user.id, 'staff');
    expect((await validateSessionToken(em(), token, clock))?.user.role).toBe('staff');
    expect(await statementsOf(db.sent, () => validateSessionToken(em(), bystander.token, bystander.clock))).toEqual([]);
    const reread = em();
    const changed = await reread.findOneOrFail(User, user.id);
    changed.displayName = 'Renamed Person';
    await reread.flush();
    expect((await validateSessionToken(em(), token, clock))?.user.displayName).toBe('Renamed Person');
  });

  it('refuses the sessions of a deleted user on the very next request', async () => {
    const { user, token, clock } = await signedIn();
    await em().nativeDelete(User, { id: user.id });
    expect(await validateSessionToken(em(), token, clock)).toBeNull();
  });

  it('refuses an expired session from its cached expiry, and deletes it', async () => {
    const { token, session, clock } = await signedIn();
    clock.advance(SESSION_POLICY.active_session.lifetimeMs + 1);
    expect(await validateSessionToken(em(), token, clock)).toBeNull();
    expect(await em().count(Session, { id: session.id })).toBe(0);
  });

  it('renews from the cached copy and keeps the renewed expiry for the next request', async () => {
    const { token, session, clock } = await signedIn();
    clock.advance(13 * HOUR);
    const renewal = await validateSessionToken(em(), token, clock);
    expect(renewal?.renewed).toBe(true);
    await renewal!.touched;
    expect((await em().findOneOrFail(Session, session.id)).expiresAt.getTime()).toBe(renewal!.session.expiresAt.getTime());
    clock.advance(12 * HOUR); // past the first expiry, within the renewed one
    const next = await validateSessionToken(em(), token, clock);
    expect(next?.renewed).toBe(false);
    expect(next?.session.expiresAt.getTime()).toBe(renewal!.session.expiresAt.getTime());
  });

  it('does not refuse on a stale cached word: an expiry moved by another writer is read again first', async () => {
    const { token, session, clock } = await signedIn();
    // Another replica's renewal, written past this process's ORM, which nobody here hears of.
    const later = new Date(clock().getTime() + 3 * SESSION_POLICY.active_session.lifetimeMs);
    await unobserved(db.orm, 'update sessions set expires_at = $1 where id = $2', [later, session.id]);
    clock.advance(SESSION_POLICY.active_session.lifetimeMs + 1);
    expect(await validateSessionToken(em(), token, clock)).not.toBeNull();
  });

  it('reads through while the LISTEN connection is down', async () => {
    const { token, clock } = await signedIn();
    const watch = tableWatchOf(db.orm);
    watch.state = 'down';
    try {
      const reads = await statementsOf(db.sent, () => validateSessionToken(em(), token, clock));
      expect(reads.filter((sql) => sql.startsWith('select'))).toHaveLength(1);
      expect(await statementsOf(db.sent, () => validateSessionToken(em(), token, clock))).toHaveLength(1);
    } finally {
      watch.state = 'local';
    }
  });

  it('keeps at most its size, least recently used out first, and reads an entry again after its age', () => {
    const watch = tableWatchOf(db.orm);
    const cache = new SessionCache(watch, 2, 1_000);
    const entry = (userId: string, readAt = performance.now()) =>
      Object.freeze({ userId, type: 'active_session' as const, expiresAt: 0, lastSeenAt: 0, signInMethod: null, columns: {}, jsonColumns: [], readAt });
    cache.put('a', entry('u1'), cache.mark());
    cache.put('b', entry('u1'), cache.mark());
    cache.get('a');
    cache.put('c', entry('u2'), cache.mark());
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([true, false, true]);
    cache.put('old', entry('u3', performance.now() - 2_000), cache.mark());
    expect(cache.get('old')).toBeUndefined();
    // A read that began before a drop is not kept: it may hold the old row.
    const mark = cache.mark();
    watch.rowChanged('u:u2');
    expect(cache.get('c')).toBeUndefined();
    cache.put('c', entry('u2'), mark);
    expect(cache.get('c')).toBeUndefined();
  });
});

// Two ORMs on one PostgreSQL are two replicas; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('the session cache across replicas on postgresql', () => {
  const replicas = twoReplicas();

  const heardOnB = (key: RowKey) => heardOn(replicas.b.orm, key);

  /** A student signed in through A whose session B has validated (and so holds). */
  async function seenOnB() {
    const clock = testClock();
    const { user } = await makeLocalUser(replicas.a.orm.em.fork());
    const { token, session } = await createSession(replicas.a.orm.em.fork(), user, { type: 'active_session' }, clock);
    expect(await validateSessionToken(replicas.b.orm.em.fork(), token, clock)).not.toBeNull();
    expect(await statementsOf(replicas.b.sent, () => validateSessionToken(replicas.b.orm.em.fork(), token, clock))).toEqual([]);
    return { user, token, session, clock };
  }

  it("refuses on B a session signed out on A once A's notification lands", async () => {
    const { token, session, clock } = await seenOnB();
    const heard = heardOnB(`s:${session.id}`);
    await invalidateSession(replicas.a.orm.em.fork(), session.id);
    await heard;
    expect(await validateSessionToken(replicas.b.orm.em.fork(), token, clock)).toBeNull();
  });

  it('refuses on B a user banned on A, and shows B a role changed on A, once the notification lands', async () => {
    const banned = await seenOnB();
    let heard = heardOnB(`u:${banned.user.id}`);
    await replicas.a.orm.em.fork().execute('update users set is_banned = true where id = ?', [banned.user.id]);
    await heard;
    expect(await validateSessionToken(replicas.b.orm.em.fork(), banned.token, banned.clock)).toBeNull();

    const { user: admin } = await makeLocalUser(replicas.a.orm.em.fork(), { role: 'admin' });
    const promoted = await seenOnB();
    heard = heardOnB(`u:${promoted.user.id}`);
    await setUserRole(replicas.a.orm.em.fork(), admin, promoted.user.id, 'staff');
    await heard;
    expect((await validateSessionToken(replicas.b.orm.em.fork(), promoted.token, promoted.clock))?.user.role).toBe('staff');
  });

  it("drops B's copy when A renews the session, not when A only records last seen", async () => {
    const { token, session, clock } = await seenOnB();
    clock.advance(61_000);
    await (await validateSessionToken(replicas.a.orm.em.fork(), token, clock))!.touched; // a touch
    clock.advance(13 * HOUR);
    const heard = heardOnB(`s:${session.id}`);
    const renewal = await validateSessionToken(replicas.a.orm.em.fork(), token, clock);
    expect(renewal?.renewed).toBe(true);
    await heard;
    // B reads the renewed expiry instead of renewing again (the touch was no notification: B still held it until now).
    const onB = await validateSessionToken(replicas.b.orm.em.fork(), token, clock);
    expect(onB?.renewed).toBe(false);
    expect(onB?.session.expiresAt.getTime()).toBe(renewal!.session.expiresAt.getTime());
  });

  it('reads through on B while its LISTEN connection is down, so a ban made meanwhile is refused', async () => {
    const { user, token, clock } = await seenOnB();
    const watch = tableWatchOf(replicas.b.orm);
    const lost = heardOnB('all');
    // A replica that never saw B's LISTEN end; pg_stat_activity shows the connection's last statement.
    await replicas.a.orm.em.fork().execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'atrium listen atrium_platform'`);
    await lost;
    await unobserved(replicas.a.orm, 'update users set is_banned = true where id = $1', [user.id]);
    // Down (read through) or already back (everything dropped on the way up): either way the row is read.
    expect(['down', 'live']).toContain(watch.state);
    expect(await validateSessionToken(replicas.b.orm.em.fork(), token, clock)).toBeNull();
  });
});
