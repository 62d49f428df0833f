import { Identity, User } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { oidcTestAccounts, startOidcProvider, type OidcTestProvider } from '@atrium/testing/oidc-provider';
import { seedUsers, startSlapd, type Slapd } from '@atrium/testing/slapd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LdapConfig } from '../ldap';
import { signIn } from '../login';
import type { OidcProviderConfig } from './env';
import { beginOidcSignIn, finishOidcSignIn } from './oidc';
import { signInWithSso } from './sign-in';

const REDIRECT_URI = 'http://atrium.test/auth/oidc/uni/callback';

describe('one person through LDAP and OpenID Connect is one user', () => {
  let db: TestDatabase;
  let slapd: Slapd;
  let idp: OidcTestProvider;
  let ldap: LdapConfig;
  let provider: OidcProviderConfig;
  beforeAll(async () => {
    [db, slapd, idp] = await Promise.all([
      createTestDatabase('pglite'),
      startSlapd(),
      startOidcProvider({ clients: [{ clientId: 'atrium', clientSecret: 'atrium-secret', redirectUris: [REDIRECT_URI] }] }),
    ]);
    ldap = {
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
    };
    provider = {
      id: 'uni',
      displayName: 'University',
      issuer: idp.issuer,
      clientId: 'atrium',
      clientSecret: 'atrium-secret',
      scopes: 'openid profile email groups',
      // The university's provider releases the directory uid as preferred_username.
      usernameClaim: 'preferred_username',
      groupsClaims: ['groups'],
      useUserInfo: false,
      roleMap: [
        ['admins', 'admin'],
        ['staff', 'staff'],
      ],
      allowedGroups: ['atrium-users'],
      linkByUsername: true,
    };
  });
  afterAll(async () => {
    await Promise.all([idp?.close(), slapd?.stop()]);
    await db?.close();
  });
  const em = () => db.orm.em.fork();
  const now = () => new Date();

  const viaLdap = (uid: keyof typeof seedUsers) =>
    signIn(em(), { username: uid, password: seedUsers[uid].password, rememberMe: false, ip: null, userAgent: null }, { ldap });
  const viaOidc = async (account: (typeof oidcTestAccounts)[keyof typeof oidcTestAccounts], config = provider) => {
    const started = await beginOidcSignIn(em(), config, { redirectUri: REDIRECT_URI, redirectTo: '', now });
    const { profile } = await finishOidcSignIn(em(), config, { browserKey: started.browserKey, callbackUrl: await idp.signIn(started.url, account), now });
    return signInWithSso(em(), profile, { providerId: config.id, policy: config, requireAdmin: false, ip: null, userAgent: null, now });
  };
  const methodsOf = async (userId: string) => (await em().find(Identity, { user: userId }, { orderBy: { method: 'asc' } })).map((identity) => identity.method);

  it('links an OIDC sign-in to the account the directory made, by the uid the provider releases', async () => {
    const fromLdap = await viaLdap('alice');
    const fromOidc = await viaOidc(oidcTestAccounts.alice);
    expect(fromOidc.user.id).toBe(fromLdap.user.id);
    expect(await em().count(User, { username: 'alice' })).toBe(1);
    expect(await methodsOf(fromLdap.user.id)).toEqual(['ldap', 'oidc']);
    const stored = await em().findOneOrFail(User, { id: fromLdap.user.id });
    expect(stored.authSource).toBe('ldap');
  });

  it('links the other way round too: OIDC first, the directory later', async () => {
    const fromOidc = await viaOidc(oidcTestAccounts.bob);
    const fromLdap = await viaLdap('bob');
    expect(fromLdap.user.id).toBe(fromOidc.user.id);
    expect(fromLdap.user.role).toBe('staff');
    expect(await methodsOf(fromOidc.user.id)).toEqual(['ldap', 'oidc']);
  });

  it('keeps people apart when the provider is not trusted to name directory users', async () => {
    const separate = { ...provider, id: 'guestidp', linkByUsername: false };
    const fromLdap = await viaLdap('carol');
    const fromOidc = await viaOidc(oidcTestAccounts.carol, separate);
    expect(fromOidc.user.id).not.toBe(fromLdap.user.id);
    expect(fromOidc.user.username).toBe('carol.guestidp');
  });
});
