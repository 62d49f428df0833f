import { Identity, Session, User } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { oidcTestAccounts, startOidcProvider, type OidcTestAccount, type OidcTestProvider } from '@atrium/testing/oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLocalUser } from '../test-factories';
import { setUserRole } from '../users';
import type { OidcProviderConfig } from './env';
import { SsoError } from './errors';
import { beginOidcSignIn, finishOidcSignIn, oidcLogoutUrl } from './oidc';
import { signInWithSso } from './sign-in';

const REDIRECT_URI = 'http://atrium.test/auth/oidc/uni/callback';

// One provider for the file: each database kind signs in against the same peer.
let idp: OidcTestProvider;
let provider: OidcProviderConfig;
// Copies, so a test can change what the provider says about someone.
const accounts: Record<keyof typeof oidcTestAccounts, OidcTestAccount> = structuredClone(oidcTestAccounts);
beforeAll(async () => {
  idp = await startOidcProvider({
    accounts: Object.values(accounts),
    clients: [
      { clientId: 'atrium', clientSecret: 'atrium-secret', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: ['http://atrium.test/login'] },
      { clientId: 'other-app', clientSecret: 'other-secret', redirectUris: [REDIRECT_URI] },
    ],
  });
  provider = {
    id: 'uni',
    displayName: 'University',
    issuer: idp.issuer,
    clientId: 'atrium',
    clientSecret: 'atrium-secret',
    scopes: 'openid profile email groups',
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
afterAll(() => idp?.close());

describe.each(testDatabaseKinds())('OpenID Connect sign-in against a real provider, on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();
  const now = () => new Date();

  const begin = () => beginOidcSignIn(em(), provider, { redirectUri: REDIRECT_URI, redirectTo: '/chat/abc', now });
  const finish = (browserKey: string | null, callbackUrl: URL, config = provider) => finishOidcSignIn(em(), config, { browserKey, callbackUrl, now });
  const signIn = async (account: OidcTestAccount, options: { requireAdmin?: boolean; config?: OidcProviderConfig; at?: OidcTestProvider } = {}) => {
    const config = options.config ?? provider;
    const started = await beginOidcSignIn(em(), config, { redirectUri: REDIRECT_URI, redirectTo: '/chat/abc', now });
    const callback = await (options.at ?? idp).signIn(started.url, account);
    const { profile, redirectTo } = await finish(started.browserKey, callback, config);
    const result = await signInWithSso(em(), profile, {
      providerId: config.id,
      policy: config,
      requireAdmin: options.requireAdmin ?? false,
      ip: '127.0.0.1',
      userAgent: 'vitest',
      now,
    });
    return { ...result, redirectTo };
  };
  const counts = async () => ({ users: await em().count(User), identities: await em().count(Identity), sessions: await em().count(Session) });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SsoError);
    return error as SsoError;
  };

  it('signs a student in through the provider and makes one account with an identity and a session', async () => {
    const { user, token, session, redirectTo } = await signIn(accounts.alice);
    expect(redirectTo).toBe('/chat/abc');
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(session.signInMethod).toBe('oidc:uni');
    const stored = await em().findOneOrFail(User, { id: user.id });
    expect(stored).toMatchObject({ username: 'alice', displayName: 'Alice Student', email: 'alice@atrium.test', role: 'student', authSource: 'oidc' });
    const identities = await em().find(Identity, { user: user.id });
    expect(identities.map(({ method, issuer, subject }) => ({ method, issuer, subject }))).toEqual([
      { method: 'oidc', issuer: idp.issuer, subject: accounts.alice.sub },
    ]);

    // The second sign-in finds the same account through its subject.
    const again = await signIn(accounts.alice);
    expect(again.user.id).toBe(user.id);
    expect(await em().count(Identity, { user: user.id })).toBe(1);
  });

  it('gives roles from group claims: a Keycloak group path for staff, a group for admins', async () => {
    expect((await signIn(accounts.bob)).user.role).toBe('staff');
    expect((await signIn(accounts.carol)).user.role).toBe('admin');
  });

  it('refuses someone outside the allowed groups, and creates nothing', async () => {
    const before = await counts();
    const error = await refusal(signIn(accounts.mallory));
    expect(error.reason).toBe('not_allowed');
    expect(error.message).toBe('Your account is not permitted to use this service.');
    expect(await counts()).toEqual(before);
  });

  it('refuses a student at the admin app without making their account', async () => {
    const before = await counts();
    const fresh = { ...accounts.alice, sub: 'sub-new-student', preferred_username: 'newstudent' };
    const other = await startOidcProvider({
      accounts: [fresh],
      clients: [{ clientId: 'atrium', clientSecret: 'atrium-secret', redirectUris: [REDIRECT_URI] }],
    });
    try {
      const error = await refusal(signIn(fresh, { requireAdmin: true, config: { ...provider, id: 'other', issuer: other.issuer }, at: other }));
      expect(error.reason).toBe('admin_only');
    } finally {
      await other.close();
    }
    expect(await counts()).toMatchObject({ users: before.users, identities: before.identities });
  });

  it('refuses an answer whose state belongs to another sign-in', async () => {
    const mine = await begin();
    const theirs = await begin();
    const callback = await idp.signIn(theirs.url, accounts.alice);
    const before = await counts();
    const error = await refusal(finish(mine.browserKey, callback));
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/could not be verified: .*state/i);
    expect(await counts()).toEqual(before);
  });

  it('refuses an ID token whose nonce is not the one this sign-in asked for', async () => {
    const started = await begin();
    const forged = new URL(started.url);
    forged.searchParams.set('nonce', 'a-nonce-the-attacker-chose');
    const callback = await idp.signIn(forged.href, accounts.alice);
    const error = await refusal(finish(started.browserKey, callback));
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/nonce/i);
  });

  it('refuses a code issued to another client', async () => {
    const started = await begin();
    const forOther = new URL(started.url);
    forOther.searchParams.set('client_id', 'other-app');
    const callback = await idp.signIn(forOther.href, accounts.alice);
    const error = await refusal(finish(started.browserKey, callback));
    expect(error.reason).toBe('invalid');
    expect(error.message).toMatch(/invalid_grant/);
  });

  it('accepts each answer once: the same callback again is refused as expired', async () => {
    const started = await begin();
    const callback = await idp.signIn(started.url, accounts.alice);
    await finish(started.browserKey, callback);
    const error = await refusal(finish(started.browserKey, callback));
    expect(error.reason).toBe('expired');
    expect((await refusal(finish(null, callback))).reason).toBe('expired');
  });

  it('brings a change at the provider into Atrium at the next sign-in, unless an admin set the role', async () => {
    const dora = { ...accounts.alice, sub: 'sub-dora', preferred_username: 'dora', name: 'Dora', email: 'dora@atrium.test', groups: ['atrium-users'] };
    const idp2 = await startOidcProvider({ accounts: [dora], clients: [{ clientId: 'atrium', clientSecret: 'atrium-secret', redirectUris: [REDIRECT_URI] }] });
    const config = { ...provider, id: 'uni2', issuer: idp2.issuer };
    try {
      const first = await signIn(dora, { config, at: idp2 });
      expect(first.user.role).toBe('student');
      dora.groups = ['atrium-users', 'staff'];
      dora.name = 'Dora Staff';
      const second = await signIn(dora, { config, at: idp2 });
      expect(second.user).toMatchObject({ id: first.user.id, role: 'staff', displayName: 'Dora Staff' });

      const { user: admin } = await makeLocalUser(em(), { role: 'admin' });
      await setUserRole(em(), admin, first.user.id, 'admin');
      dora.groups = ['atrium-users'];
      expect((await signIn(dora, { config, at: idp2 })).user.role).toBe('admin');
    } finally {
      await idp2.close();
    }
  });

  it('offers RP-initiated logout at the provider', async () => {
    const url = new URL((await oidcLogoutUrl(provider, 'http://atrium.test/login'))!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('client_id')).toBe('atrium');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://atrium.test/login');
  });
});
