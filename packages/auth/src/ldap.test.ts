import { ForbiddenError, UnauthorizedError, UnavailableError, User } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { groupDn, seedDirectory, seedUsers, startSlapd, userDn, type Slapd } from '@atrium/testing/slapd';
import { Attribute, Change, Client } from 'ldapts';
import { readAuthEnv } from './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateWithLdap, inChainFilter, LdapAuthError, ldapConfigFromEnv, lookUpLdapUser, type LdapConfig } from './ldap';
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

  it('spends as long on an unknown username as on a wrong password for a local account, with the directory on', async () => {
    const { user } = await makeLocalUser(db.orm.em.fork());
    // CPU of this process (argon2 works on its threads), as in throttle.test.ts: wall time on a busy machine is noise.
    const time = async (username: string) => {
      const started = process.cpuUsage();
      await attempt(username, 'wrong password').catch(() => undefined);
      const spent = process.cpuUsage(started);
      return spent.user + spent.system;
    };
    await time('warm-up-nobody');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(user.username));
      unknown.push(await time(`nobody-timing-${i}`));
    }
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.6);
    for (const username of [user.username, 'warm-up-nobody', 'nobody-timing-0', 'nobody-timing-1', 'nobody-timing-2']) {
      await clearFailedLogins(db.orm.em.fork(), username);
    }
  });

  describe('nested groups', () => {
    const tom = (overrides: Partial<LdapConfig>) => authenticateWithLdap({ ...config, ...overrides }, 'tom', seedUsers.tom.password);

    it('makes a member of ta, which is a member of staff, staff, and lets him through the gate by nesting', async () => {
      const identity = await tom({});
      expect(identity.role).toBe('staff');
      expect(identity.groups.sort()).toEqual([groupDn('atrium-users'), groupDn('staff'), groupDn('ta')].map((dn) => dn.toLowerCase()).sort());
      // The gate names staff only: tom is in it through ta.
      expect((await tom({ allowedGroups: ['staff'] })).role).toBe('staff');
      await expect(authenticateWithLdap({ ...config, allowedGroups: ['staff'] }, 'alice', seedUsers.alice.password)).rejects.toMatchObject({
        reason: 'not_allowed',
      });
      const { user } = await attempt('tom', seedUsers.tom.password);
      expect(user).toMatchObject({ role: 'staff', roleSource: 'directory' });
    });

    it('follows no more levels than the depth limit', async () => {
      // ta → staff is one level above his own group, staff → atrium-users a second.
      await expect(tom({ groupNestingDepth: 0 })).rejects.toMatchObject({ reason: 'not_allowed' });
      await expect(tom({ groupNestingDepth: 1 })).rejects.toMatchObject({ reason: 'not_allowed' });
      expect((await tom({ groupNestingDepth: 0, allowedGroups: ['ta'] })).role).toBe('student');
      expect((await tom({ groupNestingDepth: 1, allowedGroups: ['staff'] })).role).toBe('staff');
      expect((await tom({ groupNestingDepth: 2 })).role).toBe('staff');
    });

    it('ends on a cycle of groups (a ∈ b ∈ a) however deep it is allowed to look', async () => {
      const client = new Client({ url: slapd.url });
      const group = (cn: string, member: string) =>
        client.add(groupDn(cn), { objectClass: 'groupOfNames', cn, member });
      await client.bind(seedDirectory.adminDn, seedDirectory.adminPassword);
      try {
        await group('cycle-a', userDn('dave'));
        await group('cycle-b', groupDn('cycle-a'));
        await client.modify(groupDn('cycle-a'), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [groupDn('cycle-b')] }) }));

        const deep = { ...config, allowedGroups: ['cycle-b'], groupRoles: [['cycle-a', 'staff']] as LdapConfig['groupRoles'], groupNestingDepth: 1_000_000 };
        const started = Date.now();
        const identity = await authenticateWithLdap(deep, 'dave', seedUsers.dave.password);
        expect(identity.groups.sort()).toEqual([groupDn('cycle-a'), groupDn('cycle-b')].map((dn) => dn.toLowerCase()).sort());
        expect(identity.role).toBe('staff');
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await client.del(groupDn('cycle-b')).catch(() => {});
        await client.del(groupDn('cycle-a')).catch(() => {});
        await client.unbind();
      }
    });

    it("asks Active Directory for the whole chain with its in-chain matching rule when configured", () => {
      expect(inChainFilter(userDn('tom')).toString()).toBe('(member:1.2.840.113556.1.4.1941:=uid=tom,ou=people,dc=atrium,dc=test)');
      const env = readAuthEnv({ LDAP_URL: 'ldap://dc.uni.test', LDAP_MATCHING_RULE_IN_CHAIN: 'true', LDAP_GROUP_NESTING_DEPTH: '3' });
      expect(ldapConfigFromEnv(env)).toMatchObject({ matchingRuleInChain: true, groupNestingDepth: 3 });
      expect(ldapConfigFromEnv(readAuthEnv({ LDAP_URL: 'ldap://x' }))).toMatchObject({ matchingRuleInChain: false, groupNestingDepth: 5 });
      expect(() => readAuthEnv({ LDAP_GROUP_NESTING_DEPTH: '-1' })).toThrow();
    });

    it('looks a signed-in user up with the service account alone, nesting included', async () => {
      expect(await lookUpLdapUser(config, 'tom')).toMatchObject({ role: 'staff', dn: userDn('tom') });
      expect(await lookUpLdapUser(config, 'nobody')).toBeNull();
      await expect(lookUpLdapUser(config, 'dave')).rejects.toMatchObject({ reason: 'not_allowed' });
    });
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
