// oidc-provider ships no types; packages importing this file (auth, api) need the ambient declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider-module.d.ts" />
/**
 * A real OpenID provider (`oidc-provider`, a certified implementation) on loopback, for tests of
 * Atrium's OIDC sign-in. Its own login page takes any known username with its password; consent
 * is granted once signed in, as a university's first-party IdP does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export type OidcTestAccount = {
  sub: string;
  password: string;
  preferred_username: string;
  name: string;
  email: string;
  groups: string[];
};

export type OidcTestClient = { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris?: string[] };

export const oidcTestAccounts = {
  alice: { sub: 'sub-alice-7f3a', password: 'alice-oidc-pw', preferred_username: 'alice', name: 'Alice Student', email: 'alice@atrium.test', groups: ['students', 'atrium-users'] },
  bob: { sub: 'sub-bob-19cd', password: 'bob-oidc-pw', preferred_username: 'bob', name: 'Bob Staff', email: 'bob@atrium.test', groups: ['/staff', 'atrium-users'] },
  carol: { sub: 'sub-carol-4410', password: 'carol-oidc-pw', preferred_username: 'carol', name: 'Carol Admin', email: 'carol@atrium.test', groups: ['admins', 'atrium-users'] },
  mallory: { sub: 'sub-mallory-0000', password: 'mallory-oidc-pw', preferred_username: 'mallory', name: 'Mallory Outsider', email: 'mallory@elsewhere.test', groups: ['guests'] },
} satisfies Record<string, OidcTestAccount>;

export type OidcTestProvider = {
  issuer: string;
  close(): Promise<void>;
  /**
   * Plays the browser at the provider: follows the authorization URL, submits the login form
   * with the account's password, and returns the URL the provider sends the browser back to.
   */
  signIn(authorizationUrl: string, account: { preferred_username: string; password: string }): Promise<URL>;
};

export async function startOidcProvider(options: { clients: OidcTestClient[]; accounts?: OidcTestAccount[] }): Promise<OidcTestProvider> {
  const accounts = options.accounts ?? Object.values(oidcTestAccounts);
  const bySub = new Map(accounts.map((account) => [account.sub, account]));
  const byLogin = new Map(accounts.map((account) => [account.preferred_username, account]));

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    // The login page's "login" field is the username; the password must match the account's.
    async findAccount(_ctx: unknown, id: string) {
      const account = bySub.get(id) ?? byLogin.get(id);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        async claims() {
          const { password: _password, ...claims } = account;
          return { ...claims, email_verified: true };
        },
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['atrium-oidc-test-cookie-key'] },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    // Browsers ask every site for an icon; a 404 would show up as a console error in browser tests.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!interaction) return handle(req, res);
    void loginPage(req, res, interaction[2] !== undefined).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });

  /** The provider's own sign-in page: a username and password form, checked against the accounts. */
  async function loginPage(req: IncomingMessage, res: ServerResponse, submitted: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (!submitted) return sendForm(res, details.uid, null);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const account = byLogin.get(form.get('username') ?? '');
    if (!account || account.password !== form.get('password')) return sendForm(res, details.uid, 'Wrong username or password.');
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async signIn(authorizationUrl, account) {
      const jar = new Map<string, string>();
      const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const remember = (response: Response) => {
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair!.indexOf('=');
          jar.set(pair!.slice(0, at), pair!.slice(at + 1));
        }
      };
      const step = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
        remember(response);
        return response;
      };
      let response = await step(authorizationUrl);
      for (let hops = 0; hops < 10; hops++) {
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, issuer);
          if (next.origin !== issuer) return next;
          response = await step(next.href);
          continue;
        }
        const page = await response.text();
        const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(page)?.[1];
        if (!action) throw new Error(`The OIDC test provider answered ${response.status} without a form: ${page.slice(0, 200)}`);
        const fields = { username: account.preferred_username, password: account.password };
        response = await step(new URL(action, issuer).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      }
      throw new Error('The OIDC test provider never sent the browser back');
    },
  };
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function sendForm(res: ServerResponse, uid: string, error: string | null) {
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>University sign-in</title></head>
<body><main><h1>University sign-in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form action="/interaction/${escapeHtml(uid)}/login" method="post">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></main></body></html>`);
}
