import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { seed, type Orm, type Role } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { startServerProcess, type ServerProcess } from '../testing/server-processes';

/** How long a notification may take to land on the other process before the test fails. */
const DEADLINE_MS = 5_000;

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('signed-in sessions and API keys across two server processes, on PostgreSQL', () => {
  let database: TestDatabase;
  let orm: Orm;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    const env = { DATABASE_URL: database.url, LDAP_URL: '', NODE_ENV: 'test', JOBS_WORK: 'false' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
  });

  async function signedIn(role: Role = 'student') {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em, { role });
    const { token } = await createSession(em, user, { type: 'active_session' });
    const clientOf = (server: ServerProcess) =>
      createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
    const onA = clientOf(a!);
    const onB = clientOf(b!);
    // B has now seen (and holds) the session.
    expect((await onB.auth.me.query())?.id).toBe(user.id);
    expect((await onB.auth.me.query())?.id).toBe(user.id);
    return { user, onA, onB };
  }

  /** Asks B again and again (no pause: each ask is a round trip) until `done` holds or the deadline passes. */
  async function untilOnB<T>(ask: () => Promise<T>, done: (answer: T) => boolean) {
    const deadline = Date.now() + DEADLINE_MS;
    let answer = await ask();
    while (!done(answer) && Date.now() < deadline) answer = await ask();
    return answer;
  }

  it('refuses on B a session signed out on A', async () => {
    const { onA, onB } = await signedIn();
    await onA.auth.signOut.mutate();
    expect(await untilOnB(() => onB.auth.me.query(), (me) => me === null)).toBeNull();
    await expect(onB.chat.conversations.query({})).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('refuses on B a user an admin banned on A, and shows B a role an admin changed on A', async () => {
    const admin = await signedIn('admin');
    const student = await signedIn();
    await admin.onA.users.setBanned.mutate({ id: student.user.id, banned: true, reason: 'exam fraud' });
    expect(await untilOnB(() => student.onB.auth.me.query(), (me) => me === null)).toBeNull();

    const promoted = await signedIn();
    await admin.onA.users.setRole.mutate({ id: promoted.user.id, role: 'staff' });
    expect((await untilOnB(() => promoted.onB.auth.me.query(), (me) => me?.role === 'staff'))?.role).toBe('staff');
  });

  it("refuses on B a ban made while B's LISTEN connection was down (read through, then everything dropped on its return)", async () => {
    const { user, onB } = await signedIn();
    // Both servers lose their LISTEN connection; the ban's notification then reaches nobody.
    const em = orm.em.fork();
    await em.execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'atrium listen atrium_platform'`);
    await em.execute('update users set is_banned = true where id = ?', [user.id]);
    expect(await untilOnB(() => onB.auth.me.query(), (me) => me === null)).toBeNull();
  });

  it('refuses on B an API key revoked through A, and the keys of an owner banned on A, on /v1 and on tRPC', async () => {
    const admin = await signedIn('admin');
    const { user, onA } = await signedIn('staff');
    const models = (server: ServerProcess, key: string) => fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then((response) => response.status);
    const meOnB = (key: string) =>
      createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${b!.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${key}` } })] }).auth.me.query();
    const revoked = await onA.apiKeys.create.mutate({ name: 'Script' });
    const kept = await onA.apiKeys.create.mutate({ name: 'Notebook' });
    // B has now seen (and holds) both keys.
    for (const { key } of [revoked, kept]) {
      expect(await models(b!, key)).toBe(200);
      expect((await meOnB(key))?.id).toBe(user.id);
    }
    await onA.apiKeys.revoke.mutate({ id: revoked.apiKey.id });
    expect(await untilOnB(() => models(b!, revoked.key), (status) => status === 401)).toBe(401);
    expect(await meOnB(revoked.key)).toBeNull();
    expect(await models(b!, kept.key)).toBe(200);

    await admin.onA.users.setBanned.mutate({ id: user.id, banned: true, reason: 'leaked key' });
    expect(await untilOnB(() => models(b!, kept.key), (status) => status === 401)).toBe(401);
    expect(await meOnB(kept.key)).toBeNull();
  });
});
