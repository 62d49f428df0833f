import { ForbiddenError, UnauthorizedError, UnavailableError, User } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { groupDn, seedDirectory, seedUsers, startSlapd, userDn, type Slapd } from '@atrium/testing/slapd';
import { Attribute, Change, Client } from 'ldapts';
import { readAuthEnv } from './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateWithLdap, LdapAuthError, type LdapConfig } from './ldap';
import { reauthenticate, signIn } from './login';
import { makeLocalUser } from './test-factories';
import { clearFailedLogins } from './throttle';
import { returnRoleToDirectory, setUserRole } from './users';

describe('LDAP sign-in against a real slapd', () => {
  let slapd: Slapd;
  let db: TestDatabase;
  let config: LdapConfig;
  beforeAll(async () => {
    [slapd, db] = await Promise.all([startSlapd(), createTestDatabase('pglite')]);
    config = {
      url: slapd.url,
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      baseDn: slapd.baseDn,
      usernameAttribute: 'uid',
      // One group named by its full DN, one by its cn: both forms are accepted.
      groupRoles: [
        [groupDn('admins').toLowerCase(), 'admin'],
        ['staff', 'staff'],
      ],
      allowedGroups: ['atrium-users'],
      timeoutMs: 2000,
    };
  });
  afterAll(async () => {
    await slapd?.stop();
    await db?.close();
  });

  const attempt = (username: string, password: string, ldap: LdapConfig | null = config) =>
    signIn(db.orm.em.fork(), { username, password, rememberMe: false, ip: null, userAgent: null }, { ldap });

  it('signs a directory user in and creates their account from the directory', async () => {
    const { user, token } = await attempt('alice', seedUsers.alice.password);
    expect(token).toBeTruthy();
    const stored = await db.orm.em.fork().findOneOrFail(User, { username: 'alice' }, { populate: ['passwordHash'] });
    expect(stored).toMatchObject({
      id: user.id,
      authSource: 'ldap',
      displayName: 'Alice Student',
      email: 'alice@atrium.test',
      role: 'student',
      ldapDn: 'uid=alice,ou=people,dc=atrium,dc=test',
      passwordHash: null,
    });
  });

  it('maps groups to roles: admins → admin, staff → staff', async () => {
    expect((await attempt('carol', seedUsers.carol.password)).user.role).toBe('admin');
    expect((await attempt('bob', seedUsers.bob.password)).user.role).toBe('staff');
  });

  it('refuses a wrong password, an unknown user and an empty or blank password', async () => {
    await expect(attempt('alice', 'not-her-password')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt('nobody', 'whatever')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt('alice', '')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt('alice', '   ')).rejects.toBeInstanceOf(UnauthorizedError);
    // Directly too: a blank password must never reach the server as an anonymous bind.
    await expect(authenticateWithLdap(config, 'alice', '')).rejects.toMatchObject({ reason: 'invalid_credentials' });
  });

  it('treats filter metacharacters in the username as plain text', async () => {
    await expect(attempt('*', 'alice-pass')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt('alice)(uid=*', 'alice-pass')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt('*)(|(objectClass=*', 'x')).rejects.toBeInstanceOf(UnauthorizedError);
    // A real uid with parentheses signs in: escaping, not stripping.
    const { user } = await attempt(seedUsers.paren.uid, seedUsers.paren.password);
    expect(user.username).toBe('paren(thesis)');
  });

  it('refuses a user in no allowed group', async () => {
    await expect(attempt('dave', seedUsers.dave.password)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db.orm.em.fork().count(User, { username: 'dave' })).toBe(0);
  });

  it('re-authenticates a directory user by a bind before something irreversible, throttling failures', async () => {
    const { user } = await attempt('alice', seedUsers.alice.password);
    const check = (password: string) => reauthenticate(db.orm.em.fork(), user.id, { password, ip: null }, { ldap: config });
    const failures = async () =>
      (await db.orm.em.fork().execute<{ failures: number }[]>("select failures from login_throttles where key = 'user:alice'"))[0]?.failures ?? 0;
    await expect(check('not-her-password')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(check('')).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await failures()).toBe(2);
    expect((await check(seedUsers.alice.password)).id).toBe(user.id);
    expect(await failures()).toBe(0);
    // Without a directory nothing can be checked, and that is not counted against her.
    await expect(
      reauthenticate(db.orm.em.fork(), user.id, { password: seedUsers.alice.password, ip: null }, { ldap: null }),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(await failures()).toBe(0);
    await clearFailedLogins(db.orm.em.fork(), 'alice');
  });

  it('updates the role from group membership on the next sign-in', async () => {
    expect((await attempt('alice', seedUsers.alice.password)).user.role).toBe('student');
    await slapd.addUserToGroup('alice', 'staff');
    try {
      expect((await attempt('alice', seedUsers.alice.password)).user.role).toBe('staff');
    } finally {
      await slapd.removeUserFromGroup('alice', 'staff');
    }
    expect((await attempt('alice', seedUsers.alice.password)).user.role).toBe('student');
    expect(await db.orm.em.fork().count(User, { username: 'alice' })).toBe(1);
  });

  it("keeps an administrator's role for a directory user across sign-ins until it is handed back", async () => {
    const { user: bob } = await attempt('bob', seedUsers.bob.password);
    expect(bob).toMatchObject({ role: 'staff', roleSource: 'directory' });
    const { user: admin } = await makeLocalUser(db.orm.em.fork(), { role: 'admin' });

    await setUserRole(db.orm.em.fork(), admin, bob.id, 'student');
    expect((await attempt('bob', seedUsers.bob.password)).user).toMatchObject({ role: 'student', roleSource: 'administrator' });

    await returnRoleToDirectory(db.orm.em.fork(), admin, bob.id);
    expect((await attempt('bob', seedUsers.bob.password)).user).toMatchObject({ role: 'staff', roleSource: 'directory' });
    await expect(returnRoleToDirectory(db.orm.em.fork(), admin, admin.id)).rejects.toThrow(/no directory/);
  });

  it('signs in a directory user whose name is longer than the column, cut on a grapheme boundary', async () => {
    const longName = `${'Çağrı Şükrü Öztürk 🎓 '.repeat(15)}İ̇`;
    const client = new Client({ url: slapd.url });
    const setName = (value: string) =>
      client.modify(userDn('alice'), new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [value] }) }));
    await client.bind(seedDirectory.adminDn, seedDirectory.adminPassword);
    try {
      await setName(longName);
      const { user } = await attempt('alice', seedUsers.alice.password);
      const stored = await db.orm.em.fork().findOneOrFail(User, { id: user.id });
      expect([...stored.displayName].length).toBeLessThanOrEqual(255);
      expect(longName.startsWith(stored.displayName)).toBe(true);
      expect(stored.displayName.isWellFormed()).toBe(true);
    } finally {
      await setName('Alice Student');
      await client.unbind();
    }
  });

  it('reads the group-to-role map from the environment in either form', () => {
    const env = readAuthEnv({ LDAP_GROUP_ROLE_MAP: 'admins:admin; cn=staff,ou=groups,dc=atrium,dc=test:staff', LDAP_ALLOWED_GROUPS: 'atrium-users' });
    expect(env.LDAP_GROUP_ROLE_MAP).toEqual([
      ['admins', 'admin'],
      ['cn=staff,ou=groups,dc=atrium,dc=test', 'staff'],
    ]);
    expect(env.LDAP_ALLOWED_GROUPS).toEqual(['atrium-users']);
    expect(() => readAuthEnv({ LDAP_GROUP_ROLE_MAP: 'admins:superuser' })).toThrow(/student, staff or admin/);
  });

  it('gives a clear error, not a hang, when the directory is down', async () => {
    const down = { ...config, url: 'ldap://127.0.0.1:1', timeoutMs: 1000 };
    const started = Date.now();
    const failure = attempt('alice', seedUsers.alice.password, down);
    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toThrow(/directory cannot be reached/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(authenticateWithLdap(down, 'alice', 'x')).rejects.toBeInstanceOf(LdapAuthError);
  });
});
