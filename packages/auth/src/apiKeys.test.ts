import { ApiKey, tableWatchOf, User, type IUser } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCache, createApiKey, revokeApiKey, validateApiKey } from './apiKeys';
import { type Clock } from './sessions';
import { countingDatabase, heardOn, statementsOf, twoReplicas, unobserved } from './test-databases';
import { makeLocalUser, testClock } from './test-factories';
import { setUserBanned, setUserRole } from './users';

const DAY = 24 * 60 * 60 * 1000;
const IP = '192.0.2.7';

describe.each(testDatabaseKinds())('the API key cache on %s (this process writes)', (kind) => {
  let db: Awaited<ReturnType<typeof countingDatabase>>;
  beforeAll(async () => {
    db = await countingDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();
  const check = (key: string, clock: Clock, ip: string | null = IP) => validateApiKey(em(), key, { ip, now: clock });

  /** A key whose first use has been checked (and so is cached). */
  async function usedKey(options: { role?: 'student' | 'staff'; expiresAt?: Date | null; owner?: IUser } = {}) {
    const clock = testClock();
    const user = options.owner ?? (await makeLocalUser(em(), { role: options.role ?? 'staff' })).user;
    const { key, apiKey } = await createApiKey(em(), user, { name: 'Notebook', expiresAt: options.expiresAt ?? null }, clock);
    const first = await check(key, clock);
    expect(first).not.toBeNull();
    await first!.touched; // its first use, recorded beside the request
    return { user, key, id: apiKey.id, clock };
  }

  it('answers a key used within the minute without a statement, and records last used once a minute or from a new address', async () => {
    const { key, id, clock } = await usedKey();
    const again = await statementsOf(db.sent, () => check(key, clock));
    expect(again).toEqual([]);
    clock.advance(61_000);
    // The touch is written beside the request: `touched` settles once it is.
    const used = async (ip?: string) => (await check(key, clock, ip))?.touched;
    const touch = await statementsOf(db.sent, () => used());
    expect(touch).toEqual([expect.stringMatching(/^update api_keys set last_used_at = /)]);
    expect((await em().findOneOrFail(ApiKey, id)).lastUsedAt?.getTime()).toBe(clock().getTime());
    // The touch kept the cached copy.
    expect(await statementsOf(db.sent, () => check(key, clock))).toEqual([]);
    expect(await statementsOf(db.sent, () => used('198.51.100.1'))).toHaveLength(1);
    expect((await em().findOneOrFail(ApiKey, id)).lastUsedIp).toBe('198.51.100.1');
  });

  it('gives each request its own managed owner, and what it knows of the key without the hash', async () => {
    const { user, key, id, clock } = await usedKey();
    const first = em();
    const a = await validateApiKey(first, key, { ip: IP, now: clock });
    const b = await check(key, clock);
    expect(a!.user).not.toBe(b!.user);
    expect(first.getUnitOfWork().getById(User, user.id)).toBe(a!.user);
    expect(a!.apiKey).toMatchObject({ id, name: 'Notebook', prefix: key.slice(0, 12), expiresAt: null, lastUsedIp: IP });
    expect(JSON.stringify(a!.apiKey)).not.toContain(key.slice(12));
  });

  it('refuses a revoked key on the very next request, keeping a bystander key cached', async () => {
    const { user, key, id, clock } = await usedKey();
    const bystander = await usedKey();
    await revokeApiKey(em(), id, { userId: user.id, now: clock });
    expect(await check(key, clock)).toBeNull();
    expect(await statementsOf(db.sent, () => check(bystander.key, bystander.clock))).toEqual([]);
  });

  it('refuses a deleted key on the very next request', async () => {
    const { key, id, clock } = await usedKey();
    await em().nativeDelete(ApiKey, { id });
    expect(await check(key, clock)).toBeNull();
  });

  it('refuses an expired key from its cached expiry, and a stale cached expiry is read again first', async () => {
    const expiring = await usedKey({ expiresAt: new Date(testClock()().getTime() + DAY) });
    expiring.clock.advance(DAY + 1);
    expect(await check(expiring.key, expiring.clock)).toBeNull();

    // Another replica moved the expiry out, past this process's ORM: not refused on the old word.
    const extended = await usedKey({ expiresAt: new Date(testClock()().getTime() + DAY) });
    await unobserved(db.orm, 'update api_keys set expires_at = $1 where id = $2', [new Date(extended.clock().getTime() + 30 * DAY), extended.id]);
    extended.clock.advance(DAY + 1);
    expect(await check(extended.key, extended.clock)).not.toBeNull();
  });

  it("refuses a banned or deleted owner's keys and shows a role change on the very next request", async () => {
    const { user: admin } = await makeLocalUser(em(), { role: 'admin' });
    const banned = await usedKey();
    const second = await usedKey({ owner: banned.user });
    await setUserBanned(em(), admin, banned.user.id, { banned: true, reason: 'abuse', until: null }, banned.clock);
    expect(await check(banned.key, banned.clock)).toBeNull();
    expect(await check(second.key, second.clock)).toBeNull();

    const flagged = await usedKey();
    await em().execute('update users set is_banned = true where id = ?', [flagged.user.id]);
    expect(await check(flagged.key, flagged.clock)).toBeNull();

    const promoted = await usedKey({ role: 'student' });
    await setUserRole(em(), admin, promoted.user.id, 'staff');
    expect((await check(promoted.key, promoted.clock))?.user.role).toBe('staff');

    const deleted = await usedKey();
    await em().nativeDelete(User, { id: deleted.user.id });
    expect(await check(deleted.key, deleted.clock)).toBeNull();
  });

  it('keeps nothing inside a transaction, and reads through while the LISTEN connection is down', async () => {
    const { key, clock } = await usedKey();
    await em().transactional(async (tx) => {
      const reads = await statementsOf(db.sent, () => validateApiKey(tx, key, { ip: IP, now: clock }));
      expect(reads.filter((sql) => sql.startsWith('select'))).toHaveLength(1);
    });
    const watch = tableWatchOf(db.orm);
    watch.state = 'down';
    try {
      const reads = await statementsOf(db.sent, () => check(key, clock));
      expect(reads.filter((sql) => sql.startsWith('select'))).toHaveLength(1);
    } finally {
      watch.state = 'local';
    }
  });

  it('is keyed by the hash, never the key, and bounded by count and age', async () => {
    const { key, clock } = await usedKey();
    const cache = new ApiKeyCache(tableWatchOf(db.orm), 1, 1_000);
    const entry = (id: string, readAt = performance.now()) =>
      Object.freeze({ userId: 'u1', columns: {}, jsonColumns: [], id, name: 'n', prefix: 'p', expiresAt: null, revokedAt: null, lastUsedAt: null, lastUsedIp: null, createdAt: 0, readAt });
    cache.put('h1', entry('k1'), cache.mark());
    cache.put('h2', entry('k2'), cache.mark());
    expect([cache.get('h1'), cache.get('h2')].map(Boolean)).toEqual([false, true]);
    tableWatchOf(db.orm).rowChanged('k:k2');
    expect(cache.get('h2')).toBeUndefined();
    cache.put('old', entry('k3', performance.now() - 2_000), cache.mark());
    expect(cache.get('old')).toBeUndefined();
    expect(await check(key, clock)).not.toBeNull();
  });
});

// Two ORMs on one PostgreSQL are two replicas; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('the API key cache across replicas on postgresql', () => {
  const replicas = twoReplicas();
  const onB = (key: string, clock: Clock) => validateApiKey(replicas.b.orm.em.fork(), key, { ip: IP, now: clock });

  /** A key made through A that B has checked (and so holds). */
  async function seenOnB() {
    const clock = testClock();
    const { user } = await makeLocalUser(replicas.a.orm.em.fork(), { role: 'staff' });
    const { key, apiKey } = await createApiKey(replicas.a.orm.em.fork(), user, { name: 'Script', expiresAt: null }, clock);
    await (await onB(key, clock))!.touched; // its first use, recorded beside the request
    expect(await statementsOf(replicas.b.sent, () => onB(key, clock))).toEqual([]);
    return { user, key, id: apiKey.id, clock };
  }

  it("refuses on B a key revoked on A once A's notification lands, and not for A's last-used bookkeeping", async () => {
    const { key, id, clock } = await seenOnB();
    const heardKeys: string[] = [];
    const stop = tableWatchOf(replicas.b.orm).subscribeRows((heard) => void heardKeys.push(heard));
    clock.advance(61_000);
    await (await validateApiKey(replicas.a.orm.em.fork(), key, { ip: IP, now: clock }))!.touched; // a touch on A
    const heard = heardOn(replicas.b.orm, `k:${id}`);
    await revokeApiKey(replicas.a.orm.em.fork(), id, { now: clock });
    await heard;
    stop();
    // Notifications arrive in commit order: had the touch sent one, it would be here before the revocation's.
    expect(heardKeys.filter((heard) => heard === `k:${id}`)).toHaveLength(1);
    expect(await onB(key, clock)).toBeNull();
  });

  it('refuses on B the keys of an owner banned on A, and a key deleted on A, once the notification lands', async () => {
    const banned = await seenOnB();
    let heard = heardOn(replicas.b.orm, `u:${banned.user.id}`);
    await replicas.a.orm.em.fork().execute('update users set is_banned = true where id = ?', [banned.user.id]);
    await heard;
    expect(await onB(banned.key, banned.clock)).toBeNull();

    const deleted = await seenOnB();
    heard = heardOn(replicas.b.orm, `k:${deleted.id}`);
    await replicas.a.orm.em.fork().nativeDelete(ApiKey, { id: deleted.id });
    await heard;
    expect(await onB(deleted.key, deleted.clock)).toBeNull();
  });
});
