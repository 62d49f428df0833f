import type { AddressInfo } from 'node:net';
import type { OidcProviderConfig, SamlProviderConfig } from '@atrium/auth';
import { Identity, Session, User } from '@atrium/db';
import { oidcTestAccounts, startOidcProvider, type OidcTestProvider } from '@atrium/testing/oidc-provider';
import { samlTestUsers, startSamlIdp, type SamlTestIdp } from '@atrium/testing/saml-idp';
import { createPostgresDatabase, migratedPgliteTarget, testDatabaseKinds } from '@atrium/db/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing';
import { createTrpcMiddleware } from './http';
import { createSsoRouter, localPath } from './sso';

// The apps sit behind a reverse proxy: browsers and IdPs know them by these addresses only.
const PUBLIC = { web: 'https://chat.uni.test', admin: 'https://admin.uni.test' };

type Server = Awaited<ReturnType<typeof startTestApiServer>>;

const cookieFrom = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1);

/** The proxy's job in the test: a public URL the IdP redirected to, sent to the server's real address. */
const internal = (server: Server, publicUrl: URL | string) => {
  const url = new URL(publicUrl);
  return `${server.url}${url.pathname}${url.search}`;
};

async function me(server: Server, sessionCookie: string) {
  const response = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie: sessionCookie } });
  return ((await response.json()) as { result: { data: { json: { username: string; role: string } | null } } }).result.data.json;
}

// One provider and one IdP for the whole file: every database kind signs in against the same peers.
let idp: OidcTestProvider;
let samlIdp: SamlTestIdp;
let oidc: OidcProviderConfig;
let saml: SamlProviderConfig;
beforeAll(async () => {
  [idp, samlIdp] = await Promise.all([
    startOidcProvider({
      clients: [
        {
          clientId: 'atrium',
          clientSecret: 'atrium-secret',
          redirectUris: [`${PUBLIC.web}/auth/oidc/uni/callback`, `${PUBLIC.admin}/auth/oidc/uni/callback`],
          postLogoutRedirectUris: [`${PUBLIC.web}/login?reason=signed-out`],
        },
      ],
    }),
    startSamlIdp(),
  ]);
  oidc = {
    id: 'uni',
    displayName: 'University',
    issuer: idp.issuer,
    clientId: 'atrium',
    clientSecret: 'atrium-secret',
    scopes: 'openid profile email groups',
    usernameClaim: 'preferred_username',
    groupsClaims: ['groups'],
    useUserInfo: true,
    roleMap: [['admins', 'admin']],
    allowedGroups: [],
    linkByUsername: true,
  };
  saml = {
    id: 'saml',
    displayName: 'University sign-in',
    idpMetadata: { url: samlIdp.metadataUrl },
    idpEntityId: null,
    spEntityId: null,
    spPrivateKey: null,
    spCertificate: null,
    subjectAttribute: 'eduPersonPrincipalName',
    usernameAttribute: 'uid',
    roleMap: [['urn:mace:uni.test:atrium:admin', 'admin']],
    allowedGroups: [],
    linkByUsername: true,
    clockSkewMs: 60_000,
  };
});
afterAll(async () => {
  await Promise.all([idp?.close(), samlIdp?.close()]);
});

describe.each(testDatabaseKinds())('single sign-on over HTTP, behind a reverse proxy, on %s', (kind) => {
  let web: Server;
  let admin: Server;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    const postgres = kind === 'postgresql' ? await createPostgresDatabase() : null;
    if (postgres) dropDatabase = postgres.drop;
    const config = { sso: { oidc: [oidc], saml } };
    web = await startTestApiServer({ config, app: 'web', publicUrls: PUBLIC, target: postgres?.target ?? (await migratedPgliteTarget()), workJobs: false });
    // The admin app: a second server on the same runtime and database, as `npm run dev` runs them.
    const app = express();
    app.use('/api/trpc', createTrpcMiddleware(web.runtime));
    app.use('/auth', createSsoRouter(web.runtime, 'admin'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    admin = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      runtime: web.runtime,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  });
  afterAll(async () => {
    await admin?.close();
    await web?.close();
    await dropDatabase();
  });

  const startOidc = async (server: Server, redirectTo = '/chat/abc') => {
    const start = await fetch(`${server.url}/auth/oidc/uni?redirectTo=${encodeURIComponent(redirectTo)}`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    return { location: start.headers.get('location')!, browserCookie: cookieFrom(start, 'atrium_sso')! };
  };

  it('sends the browser to the provider with the public redirect URI, and back signed in with the ordinary session', async () => {
    const { location, browserCookie } = await startOidc(web);
    const authorize = new URL(location);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC.web}/auth/oidc/uni/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(browserCookie).toBeTruthy();

    const callback = await idp.signIn(location, oidcTestAccounts.alice);
    expect(callback.origin).toBe(PUBLIC.web);
    const back = await fetch(internal(web, callback), { redirect: 'manual', headers: { cookie: browserCookie } });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/chat/abc');
    const session = cookieFrom(back, 'atrium_session')!;
    expect(session).toBeTruthy();
    expect(await me(web, session)).toMatchObject({ username: 'alice', role: 'student' });

    // Sign-out ends the Atrium session, then the provider's (RP-initiated logout).
    const signOut = await fetch(`${web.url}/api/trpc/auth.signOut`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{}' });
    const { providerLogout } = ((await signOut.json()) as { result: { data: { json: { providerLogout: string } } } }).result.data.json;
    expect(providerLogout).toBe('/auth/oidc/uni/logout');
    expect(await me(web, session)).toBeNull();
    const logout = await fetch(`${web.url}${providerLogout}`, { redirect: 'manual' });
    const endSession = new URL(logout.headers.get('location')!);
    expect(endSession.origin).toBe(idp.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC.web}/login?reason=signed-out`);
  });

  it('sends a refused sign-in back to the sign-in page with the reason, creating nothing', async () => {
    const { location } = await startOidc(web);
    const callback = await idp.signIn(location, oidcTestAccounts.bob);
    const users = await web.runtime.orm.em.fork().count(User);
    // The callback without the browser's cookie: another browser, or a forged link.
    const back = await fetch(internal(web, callback), { redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/login?sso=expired');
    expect(cookieFrom(back, 'atrium_session')).toBeUndefined();
    expect(await web.runtime.orm.em.fork().count(User)).toBe(users);
  });

  it('admits only administrators to the admin app', async () => {
    const student = await startOidc(admin, '/users');
    const refused = await fetch(internal(admin, await idp.signIn(student.location, oidcTestAccounts.bob)), {
      redirect: 'manual',
      headers: { cookie: student.browserCookie },
    });
    expect(refused.headers.get('location')).toBe('/login?sso=admin_only&redirectTo=%2Fusers');
    expect(cookieFrom(refused, 'atrium_session')).toBeUndefined();
    expect(await admin.runtime.orm.em.fork().count(User, { username: 'bob' })).toBe(0);

    const carol = await startOidc(admin, '/users');
    const callback = await idp.signIn(carol.location, oidcTestAccounts.carol);
    expect(callback.origin).toBe(PUBLIC.admin);
    const accepted = await fetch(internal(admin, callback), { redirect: 'manual', headers: { cookie: carol.browserCookie } });
    expect(accepted.headers.get('location')).toBe('/users');
    expect(await me(admin, cookieFrom(accepted, 'atrium_session')!)).toMatchObject({ username: 'carol', role: 'admin' });
  });

  it('serves SP metadata and signs a SAML user in through the ACS', async () => {
    const metadata = await fetch(`${web.url}/auth/saml/metadata`);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${PUBLIC.web}/auth/saml/metadata"`);
    expect(xml).toContain(`Location="${PUBLIC.web}/auth/saml/acs"`);
    expect(xml).toContain(`Location="${PUBLIC.admin}/auth/saml/acs"`);

    const start = await fetch(`${admin.url}/auth/saml?redirectTo=%2Fanalytics`, { redirect: 'manual' });
    const answer = await samlIdp.answer(start.headers.get('location')!, samlTestUsers.zeynep);
    expect(answer.acsUrl).toBe(`${PUBLIC.admin}/auth/saml/acs`);
    const post = () =>
      fetch(internal(admin, answer.acsUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(samlIdp.metadataUrl).origin },
        body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState }),
      });
    const accepted = await post();
    expect(accepted.headers.get('location')).toBe('/analytics');
    const session = cookieFrom(accepted, 'atrium_session')!;
    expect(await me(admin, session)).toMatchObject({ username: 'zeynep', role: 'admin' });
    const em = admin.runtime.orm.em.fork();
    const user = await em.findOneOrFail(User, { username: 'zeynep' });
    expect(await em.count(Identity, { user, method: 'saml', subject: 'zeynep@uni.test' })).toBe(1);
    expect((await em.findOneOrFail(Session, { user })).signInMethod).toBe('saml:saml');

    // The same response posted again is refused, and makes no session.
    const replayed = await post();
    expect(replayed.headers.get('location')).toMatch(/^\/login\?sso=(expired|replayed)&redirectTo=%2Fanalytics$/);
    expect(cookieFrom(replayed, 'atrium_session')).toBeUndefined();
  });

  it('lists the configured providers for the sign-in pages', async () => {
    const response = await fetch(`${web.url}/api/trpc/auth.ssoProviders`);
    const providers = ((await response.json()) as { result: { data: { json: unknown } } }).result.data.json;
    expect(providers).toEqual([
      { id: 'uni', protocol: 'oidc', displayName: 'University', href: '/auth/oidc/uni' },
      { id: 'saml', protocol: 'saml', displayName: 'University sign-in', href: '/auth/saml' },
    ]);
  });

  it('returns only to paths on this site', () => {
    expect(localPath('/chat/1?x=2#m', '/home')).toBe('/chat/1?x=2#m');
    for (const target of ['https://evil.test', '//evil.test', '/\\evil.test', '/login', 'chat', 42, '/\t/evil.test']) {
      expect(localPath(target, '/home')).toBe('/home');
    }
  });
});
