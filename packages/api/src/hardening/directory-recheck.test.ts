import { testClock } from '@atrium/auth/testing';
import { createApiKey, type LdapConfig } from '@atrium/auth';
import { Session, User } from '@atrium/db';
import { createPostgresDatabase, migratedPgliteTarget, testDatabaseKinds } from '@atrium/db/testing';
import { seedUsers, startSlapd, type Slapd } from '@atrium/testing/slapd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing';

const MINUTE = 60_000;
const RECHECK = 5 * MINUTE;

/**
 * A directory change while someone is signed in, through the real HTTP stack: a session made by
 * signing in against slapd, then a real modify of slapd's groups, then the next request.
 */
describe.each(testDatabaseKinds())('directory changes reach live sessions (%s)', (kind) => {
  let slapd: Slapd;
  let server: Awaited<ReturnType<typeof startTestApiServer>>;
  let dropDatabase = async () => {};
  const clock = testClock(new Date());

  beforeAll(async () => {
    const postgres = kind === 'postgresql' ? await createPostgresDatabase() : null;
    if (postgres) dropDatabase = postgres.drop;
    slapd = await startSlapd();
    // A group must keep a member: someone besides carol, who may not sign in anyway.
    await slapd.addUserToGroup('dave', 'admins');
    const ldap: LdapConfig = {
      url: slapd.url,
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      baseDn: slapd.baseDn,
      usernameAttribute: 'uid',
      groupRoles: [
        ['admins', 'admin'],
        ['staff', 'staff'],
      ],
      allowedGroups: ['atrium-users'],
      timeoutMs: 2000,
      recheckIntervalMs: RECHECK,
    };
    server = await startTestApiServer({ target: postgres?.target ?? (await migratedPgliteTarget()), config: { ldap, now: clock } });
  });
  afterAll(async () => {
    await server?.close();
    await slapd?.stop();
    await dropDatabase();
  });

  const em = () => server.runtime.orm.em.fork();

  async function signIn(username: string, password: string) {
    const response = await fetch(`${server.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ json: { username, password } }),
    });
    expect(response.status).toBe(200);
    return response.headers.getSetCookie()[0]!.split(';')[0]!;
  }
  /** An admin procedure, as the admin app's users page calls it. */
  const searchUsers = (cookie: string) =>
    fetch(`${server.url}/api/trpc/users.search?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { headers: { cookie } });
  const me = async (cookie: string) => {
    const response = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie } });
    return ((await response.json()) as { result: { data: { json: { role: string } | null } } }).result.data.json;
  };
  const errorOf = async (response: Response) => ((await response.json()) as { error: { json: { message: string; data: { code: string } } } }).error.json;
  const stored = (username: string) => em().findOneOrFail(User, { username });

  it('demotes an admin removed from the admin group at their next admin procedure after the interval, without signing in again', async () => {
    const cookie = await signIn('carol', seedUsers.carol.password);
    expect((await searchUsers(cookie)).status).toBe(200);

    await slapd.removeUserFromGroup('carol', 'admins');
    try {
      // Within the interval the last check stands: the bound is the interval, not every request.
      clock.advance(RECHECK - MINUTE);
      expect((await searchUsers(cookie)).status).toBe(200);

      clock.advance(2 * MINUTE);
      const refused = await searchUsers(cookie);
      expect(refused.status).toBe(403);
      expect((await errorOf(refused)).message).toBe('Administrators only.');
      expect(await stored('carol')).toMatchObject({ role: 'student', roleSource: 'directory' });
      // What the admin app's pages ask first (requireAdmin) is refused the same way.
      expect((await fetch(`${server.url}/api/trpc/auth.confirmAdmin`, { headers: { cookie } })).status).toBe(403);
      // Still signed in, as what the directory now says she is.
      expect(await me(cookie)).toMatchObject({ role: 'student' });
    } finally {
      await slapd.addUserToGroup('carol', 'admins');
    }
    // Put back: her role at the directory reaches the same session the same way.
    clock.advance(RECHECK);
    expect((await searchUsers(cookie)).status).toBe(200);
    expect(await stored('carol')).toMatchObject({ role: 'admin', roleSource: 'directory' });
  });

  it("keeps an administrator's sticky override when the groups change", async () => {
    const cookie = await signIn('carol', seedUsers.carol.password);
    await em().nativeUpdate(User, { username: 'carol' }, { roleSource: 'administrator' });
    await slapd.removeUserFromGroup('carol', 'admins');
    try {
      clock.advance(RECHECK + MINUTE);
      expect((await searchUsers(cookie)).status).toBe(200);
      expect(await stored('carol')).toMatchObject({ role: 'admin', roleSource: 'administrator' });
    } finally {
      await slapd.addUserToGroup('carol', 'admins');
      await em().nativeUpdate(User, { username: 'carol' }, { roleSource: 'directory' });
    }
  });

  it('ends every session of an admin who is no longer in an allowed group', async () => {
    const cookie = await signIn('carol', seedUsers.carol.password);
    const other = await signIn('carol', seedUsers.carol.password);
    const carol = await stored('carol');
    await slapd.removeUserFromGroup('carol', 'atrium-users');
    try {
      clock.advance(RECHECK + MINUTE);
      const refused = await searchUsers(cookie);
      expect(refused.status).toBe(401);
      expect((await errorOf(refused)).message).toMatch(/directory no longer lets this account in/);
      expect(refused.headers.getSetCookie().join()).toMatch(/atrium_session=;/);
      expect(await em().count(Session, { user: carol.id })).toBe(0);
      expect(await me(other)).toBeNull();
    } finally {
      await slapd.addUserToGroup('carol', 'atrium-users');
    }
  });

  it('checks again when a session is renewed: a user gone from the allowed groups is signed out, a promoted one gets the role', async () => {
    const alice = await signIn('alice', seedUsers.alice.password);
    const bob = await signIn('bob', seedUsers.bob.password);
    await slapd.removeUserFromGroup('alice', 'atrium-users');
    await slapd.addUserToGroup('bob', 'admins');
    try {
      // Ordinary requests between renewals do not ask the directory.
      clock.advance(RECHECK + MINUTE);
      expect(await me(alice)).toMatchObject({ role: 'student' });
      expect(await me(bob)).toMatchObject({ role: 'staff' });
      // Half a day on, the one-day sessions are renewed: renewal asks the directory first.
      clock.advance(13 * 60 * MINUTE);
      expect(await me(alice)).toBeNull();
      expect(await em().count(Session, { user: (await stored('alice')).id })).toBe(0);
      expect(await me(bob)).toMatchObject({ role: 'admin' });
    } finally {
      await slapd.addUserToGroup('alice', 'atrium-users');
      await slapd.removeUserFromGroup('bob', 'admins');
    }
  });

  it("stops a personal API key of a user the directory no longer admits, at its first use after the interval", async () => {
    const cookie = await signIn('paren(thesis)', seedUsers.paren.password);
    const paren = await stored('paren(thesis)');
    await em().nativeUpdate(User, { id: paren.id }, { permissions: { createApiKeys: true } });
    const { key } = await createApiKey(em(), paren, { name: 'notebook', expiresAt: null }, clock);
    const asKey = { authorization: `Bearer ${key}` };
    expect(await me(cookie)).toMatchObject({ username: 'paren(thesis)' });
    const meByKey = async () => {
      const response = await fetch(`${server.url}/api/trpc/auth.me`, { headers: asKey });
      return ((await response.json()) as { result: { data: { json: { username: string } | null } } }).result.data.json;
    };
    expect(await meByKey()).toMatchObject({ username: 'paren(thesis)' });

    await slapd.removeUserFromGroup('paren(thesis)', 'atrium-users');
    try {
      clock.advance(RECHECK + MINUTE);
      expect(await meByKey()).toBeNull();
      expect(await me(cookie)).toBeNull();
    } finally {
      await slapd.addUserToGroup('paren(thesis)', 'atrium-users');
    }
    // Back in the directory, the key works again (it was refused, not revoked).
    expect(await meByKey()).toMatchObject({ username: 'paren(thesis)' });
  });

  it("refuses directory-granted admin rights it cannot confirm while the directory is down", async () => {
    const cookie = await signIn('carol', seedUsers.carol.password);
    const ldap = server.runtime.config.ldap!;
    server.runtime.config.ldap = { ...ldap, url: 'ldap://127.0.0.1:1', timeoutMs: 500 };
    try {
      clock.advance(RECHECK + MINUTE);
      const refused = await searchUsers(cookie);
      expect(refused.status).toBe(503);
      expect((await errorOf(refused)).message).toMatch(/cannot be confirmed with the university directory/);
      // Not signed out for an outage, and her role is unchanged.
      expect(await me(cookie)).toMatchObject({ role: 'admin' });
    } finally {
      server.runtime.config.ldap = ldap;
    }
    expect((await searchUsers(cookie)).status).toBe(200);
  });
});
