/**
 * Single sign-on over HTTP: the redirects to and from OpenID providers and the SAML IdP. The
 * protocols live in @atrium/auth; this file only carries browsers, cookies and redirects. A
 * sign-in ends as every Atrium sign-in does: an ordinary session and the ordinary cookie.
 */
import {
  beginOidcSignIn,
  beginSamlSignIn,
  finishOidcSignIn,
  finishSamlSignIn,
  oidcLogoutUrl,
  samlMetadata,
  signInWithSso,
  SsoError,
  type OidcProviderConfig,
  type SamlProviderConfig,
  type SsoProfile,
} from '@atrium/auth';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type Request, type Response, type Router } from 'express';
import { requestLog } from '../observability/log';
import { cookieJar } from './http';
import type { ApiRuntime } from './runtime';

export type SsoApp = 'web' | 'admin';

const BROWSER_KEY_COOKIE = 'atrium_sso';
const HOME: Record<SsoApp, string> = { web: '/chat', admin: '/' };

/** Where this app is reached: the configured public URL, else the request's own origin. */
export function publicBaseUrl(runtime: ApiRuntime, app: SsoApp, req: Request): string {
  return runtime.publicUrls[app] ?? `${req.protocol}://${req.get('host')}`;
}

/**
 * A path on this site to return to after signing in, else the app's home. Refuses what a browser
 * would read as another host (`//evil`, `/\evil`) and the sign-in pages themselves.
 */
export function localPath(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || target.length > 2048 || !target.startsWith('/') || target.startsWith('//')) return fallback;
  if ([...target].some((char) => char <= ' ' || char === '\u007f' || char === '\\')) return fallback;
  const url = new URL(target, 'http://atrium.invalid');
  if (url.origin !== 'http://atrium.invalid' || /^\/(login|logout|register)\/?$/.test(url.pathname)) return fallback;
  return url.pathname + url.search + url.hash;
}

export function createSsoRouter(runtime: ApiRuntime, app: SsoApp): Router {
  const router = express.Router();
  const { now } = runtime.config;
  const oidcProvider = (id: string) => runtime.config.sso.oidc.find((provider) => provider.id === id);

  /** Back to the sign-in page, saying why (the page words each reason in the user's language). */
  const refuse = (res: Response, error: unknown, redirectTo = '') => {
    const reason = error instanceof SsoError ? error.reason : 'unavailable';
    if (error instanceof SsoError && reason !== 'not_allowed' && reason !== 'admin_only') {
      // What failed in verification is for the operator's log, not the browser.
      requestLog(res).warn({ app, reason, detail: error.message }, 'single sign-on refused');
    } else if (!(error instanceof SsoError)) {
      requestLog(res).error({ app, err: error }, 'single sign-on failed');
    }
    const params = new URLSearchParams({ sso: reason });
    if (redirectTo) params.set('redirectTo', redirectTo);
    res.redirect(303, `/login?${params}`);
  };

  const complete = async (req: Request, res: Response, profile: SsoProfile, providerId: string, policy: OidcProviderConfig | SamlProviderConfig, redirectTo: string) => {
    const { token, session } = await signInWithSso(runtime.orm.em.fork(), profile, {
      providerId,
      policy,
      requireAdmin: app === 'admin',
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      now,
    });
    cookieJar(runtime, res).setSessionCookie(token, session);
    res.redirect(303, localPath(redirectTo, HOME[app]));
  };

  const browserKeyCookie = (value: string, maxAge: number) =>
    serializeCookie(BROWSER_KEY_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: runtime.secureCookies, path: '/auth/oidc', maxAge });

  router.get('/oidc/:provider', async (req, res) => {
    const provider = oidcProvider(req.params.provider);
    const redirectTo = localPath(req.query.redirectTo, '');
    if (!provider) return void res.status(404).type('text/plain').send('No such sign-in provider.');
    try {
      const redirectUri = `${publicBaseUrl(runtime, app, req)}/auth/oidc/${provider.id}/callback`;
      const { url, browserKey } = await beginOidcSignIn(runtime.orm.em.fork(), provider, { redirectUri, redirectTo, now });
      res.append('Set-Cookie', browserKeyCookie(browserKey, 600));
      res.redirect(303, url);
    } catch (error) {
      refuse(res, error, redirectTo);
    }
  });

  router.get('/oidc/:provider/callback', async (req, res) => {
    const provider = oidcProvider(req.params.provider);
    if (!provider) return void res.status(404).type('text/plain').send('No such sign-in provider.');
    res.append('Set-Cookie', browserKeyCookie('', 0));
    let redirectTo = '';
    try {
      const callbackUrl = new URL(`${publicBaseUrl(runtime, app, req)}/auth/oidc/${provider.id}/callback`);
      callbackUrl.search = new URL(req.originalUrl, 'http://atrium.invalid').search;
      const browserKey = parseCookies(req.get('cookie') ?? '')[BROWSER_KEY_COOKIE] ?? null;
      const finished = await finishOidcSignIn(runtime.orm.em.fork(), provider, { browserKey, callbackUrl, now });
      redirectTo = finished.redirectTo;
      await complete(req, res, finished.profile, provider.id, provider, redirectTo);
    } catch (error) {
      refuse(res, error, redirectTo);
    }
  });

  /** RP-initiated logout: the local session is already gone; this ends the provider's too, when it can. */
  router.get('/oidc/:provider/logout', async (req, res) => {
    const provider = oidcProvider(req.params.provider);
    const signedOut = '/login?reason=signed-out';
    const url = provider ? await oidcLogoutUrl(provider, `${publicBaseUrl(runtime, app, req)}${signedOut}`) : null;
    res.redirect(303, url ?? signedOut);
  });

  const samlEndpoints = (req: Request) => {
    const base = publicBaseUrl(runtime, app, req);
    const webBase = runtime.publicUrls.web ?? base;
    return {
      acsUrl: `${base}/auth/saml/acs`,
      // One SP for both apps: the entity id names the web app's metadata unless set.
      spEntityId: runtime.config.sso.saml?.spEntityId ?? `${webBase}/auth/saml/metadata`,
    };
  };

  router.get('/saml/metadata', async (req, res) => {
    const saml = runtime.config.sso.saml;
    if (!saml) return void res.status(404).type('text/plain').send('SAML sign-in is not configured.');
    const { spEntityId } = samlEndpoints(req);
    const base = publicBaseUrl(runtime, app, req);
    const acsUrls = [...new Set([runtime.publicUrls.web ?? base, runtime.publicUrls.admin ?? base].map((url) => `${url}/auth/saml/acs`))];
    res.type('application/samlmetadata+xml').send(samlMetadata(saml, { spEntityId, acsUrls }));
  });

  router.get('/saml', async (req, res) => {
    const redirectTo = localPath(req.query.redirectTo, '');
    const saml = runtime.config.sso.saml;
    if (!saml) return void res.status(404).type('text/plain').send('SAML sign-in is not configured.');
    try {
      const url = await beginSamlSignIn(runtime.orm.em.fork(), saml, { ...samlEndpoints(req), redirectTo, now });
      res.redirect(303, url);
    } catch (error) {
      refuse(res, error, redirectTo);
    }
  });

  // The IdP posts the response from its own page: a cross-site POST, so no cookie of ours comes
  // along. The response must answer a request we made (InResponseTo, kept in the database).
  router.post('/saml/acs', express.urlencoded({ extended: false, limit: '512kb' }), async (req, res) => {
    const saml = runtime.config.sso.saml;
    if (!saml) return void res.status(404).type('text/plain').send('SAML sign-in is not configured.');
    const body = req.body as Record<string, unknown>;
    const redirectTo = localPath(body.RelayState, '');
    try {
      const { profile } = await finishSamlSignIn(runtime.orm.em.fork(), saml, {
        ...samlEndpoints(req),
        samlResponse: typeof body.SAMLResponse === 'string' ? body.SAMLResponse : '',
        now,
      });
      await complete(req, res, profile, saml.id, saml, redirectTo);
    } catch (error) {
      refuse(res, error, redirectTo);
    }
  });

  return router;
}
