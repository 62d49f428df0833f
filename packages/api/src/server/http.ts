import { randomUUID } from 'node:crypto';
import { directoryRecheckDue, looksLikeApiKey, recheckDirectoryUser, validateSessionToken } from '@atrium/auth';
import type { EntityManager, IUser } from '@atrium/db';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { createContextInner, type Context, type CookieJar, type RequestMeta } from '../context';
import { appRouter, createCaller, type AtriumCaller } from '../root';
import { authenticateApiKey } from '../routers/apiKeys/apiKeys.service';
import { logger, type Logger } from '../observability/log';
import { turnMoment } from '../observability/moments';
import type { ApiRuntime } from './runtime';
import { createTrpcHandler } from './trpc-adapter';

export const SESSION_COOKIE = 'atrium_session';

/** Builds the full request context: a forked EntityManager and the caller's identity. */
export async function createRequestContext(
  runtime: ApiRuntime,
  req: Request,
  res: Response,
  transport: RequestMeta['transport'] = 'in-process',
): Promise<Context> {
  const em = runtime.orm.em.fork();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const cookieToken = parseCookies(req.get('cookie') ?? '')[SESSION_COOKIE];
  const cookies = cookieJar(runtime, res);
  if (bearer && looksLikeApiKey(bearer)) {
    const presented = await authenticateApiKey(em, bearer, { ip: req.ip ?? null, now: runtime.config.now });
    presented?.touched.catch((error: unknown) => logger.warn({ err: error, userId: presented.user.id }, 'recording when an API key was last used failed'));
    // A key has no renewal: its use is when a directory owner's groups are due to be asked again.
    const found = presented && (await directoryStillAdmits(runtime, em, presented.user, 'API key use')) ? presented : null;
    if (found) noteUser(res, found.user.id);
    return createContextInner({
      em,
      user: found?.user ?? null,
      apiKey: found ? { id: found.apiKey.id, prefix: found.apiKey.prefix, name: found.apiKey.name } : null,
      meta: requestMeta(req, 'apiKey', transport),
      cookies,
      config: runtime.config,
    });
  }
  const token = bearer ?? cookieToken;

  const seen = token ? await validateSessionToken(em, token, runtime.config.now) : null;
  seen?.touched.catch((error: unknown) => logger.warn({ err: error, userId: seen.user.id }, 'recording when a session was last seen failed'));
  const validated = await confirmedSession(runtime, em, seen);
  if (token && !validated && !bearer) cookies.clearSessionCookie();
  if (validated?.renewed && !bearer) cookies.setSessionCookie(token!, validated.session);
  if (validated) noteUser(res, validated.user.id);
  if (transport === 'wire') turnMoment('context ready');

  return createContextInner({
    em,
    user: validated?.user ?? null,
    session: validated
      ? { id: validated.session.id, type: validated.session.type, expiresAt: validated.session.expiresAt, signInMethod: validated.session.signInMethod ?? null }
      : null,
    meta: requestMeta(req, bearer ? 'bearer' : cookieToken ? 'cookie' : 'none', transport),
    cookies,
    config: runtime.config,
    files: runtime.files,
  });
}

/**
 * A session being renewed is a session being extended on the directory's old word: a directory
 * account's groups are asked again first (when the last check is older than the re-check
 * interval). A user gone from the directory or out of every allowed group is signed out here;
 * a changed group changes the role. An unanswering directory does not sign anyone out.
 */
async function confirmedSession(runtime: ApiRuntime, em: EntityManager, validated: Awaited<ReturnType<typeof validateSessionToken>>) {
  if (!validated?.renewed) return validated;
  return (await directoryStillAdmits(runtime, em, validated.user, 'session renewal')) ? validated : null;
}

/** False when a due re-check found the user gone or no longer allowed (their sessions are then ended). */
async function directoryStillAdmits(runtime: ApiRuntime, em: EntityManager, user: IUser, when: string): Promise<boolean> {
  if (!directoryRecheckDue(user, runtime.config.ldap, runtime.config.now)) return true;
  const check = await recheckDirectoryUser(em, user, runtime.config.ldap!, runtime.config.now);
  if (check.outcome === 'unavailable') logger.warn({ userId: user.id, err: check.error.cause ?? check.error }, `could not re-check a directory account at ${when}`);
  return check.outcome !== 'ended';
}

export function requestMeta(req: Request, authMethod: RequestMeta['authMethod'], transport: RequestMeta['transport'] = 'in-process'): RequestMeta {
  return {
    requestId: requestIdOf(req),
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    authMethod,
    origin: req.get('origin') ?? null,
    crossSite: req.get('sec-fetch-site') === 'cross-site',
    ownOrigin: `${req.protocol}://${req.get('host')}`,
    transport,
    language: pageLanguage(req),
  };
}

const PAGE_LANGUAGES = ['en', 'tr'] as const;
type PageLanguage = (typeof PAGE_LANGUAGES)[number];
const isPageLanguage = (value: string | undefined): value is PageLanguage => (PAGE_LANGUAGES as readonly string[]).includes(value ?? '');

/** As the apps decide (`@atrium/ui`'s resolveLanguage): the `lang` cookie, else the best Accept-Language; null when neither is ours. */
function pageLanguage(req: Request): PageLanguage | null {
  const cookie = /(?:^|;\s*)lang=([^;]*)/.exec(req.get('cookie') ?? '')?.[1]?.trim();
  if (isPageLanguage(cookie)) return cookie;
  const ranked = (req.get('accept-language') ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      return { base: tag.trim().toLowerCase().split('-')[0], quality: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.quality > 0 && !Number.isNaN(entry.quality))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isPageLanguage) ?? null;
}

/** A "remember me" session outlives the browser; an ordinary one is a browser-session cookie. */
export function cookieJar(runtime: ApiRuntime, res: Response): CookieJar {
  const base = { httpOnly: true, sameSite: 'lax' as const, secure: runtime.secureCookies, path: '/' };
  return {
    setSessionCookie(token, session) {
      const expires = session.type === 'remember_token' ? { expires: session.expiresAt } : {};
      res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, { ...base, ...expires }));
    },
    clearSessionCookie() {
      res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { ...base, maxAge: 0 }));
    },
  };
}

/** The request log line names who asked (operations.ts reads it when the response ends). */
function noteUser(res: Response, userId: string) {
  (res.locals as { userId?: string }).userId = userId;
}

/** The id the request log carries (operations.ts), so an error line and the request line match. */
function requestIdOf(req: Request): string {
  const tagged = req as Request & { id?: unknown; requestId?: string };
  tagged.requestId ??= typeof tagged.id === 'string' ? tagged.id : (req.get('x-request-id') ?? randomUUID());
  return tagged.requestId;
}

const TURN_PROCEDURES: ReadonlySet<string> = new Set(['chat.send', 'chat.regenerate']);

/** The tRPC endpoint for `/api/trpc`; unexpected errors are logged with the request id. */
export function createTrpcMiddleware(runtime: ApiRuntime): RequestHandler {
  const { maxBatchSize, maxBodyBytes } = runtime.requestLimits;
  return createTrpcHandler({
    router: appRouter,
    maxBatchSize,
    maxBodyBytes,
    createContext: (req, res) => createRequestContext(runtime, req, res, 'wire'),
    // A turn's first event comes after its admission's round trip (`relayTurn`).
    startsAfterIo: TURN_PROCEDURES,
    onError({ error, path, ctx, req }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        const log = (req as Request & { log?: Logger }).log ?? logger;
        log.error({ err: error.cause ?? error, procedure: path ?? null, requestId: ctx?.meta.requestId ?? null }, 'procedure failed');
      }
    },
  });
}

/** What Remix loaders get as `context`: the router called in-process, as the requesting user. */
export type AtriumLoadContext = {
  trpc: AtriumCaller;
  /** This response's Content-Security-Policy nonce, for Remix's inline scripts. */
  cspNonce: string;
};

export async function createLoadContext(runtime: ApiRuntime, req: Request, res: Response): Promise<AtriumLoadContext> {
  return {
    trpc: createCaller(await createRequestContext(runtime, req, res)),
    cspNonce: (res.locals as { cspNonce?: string }).cspNonce ?? '',
  };
}

/** A browser request another site made (its Origin is not ours, or the browser says cross-site). */
export function isCrossSiteRequest(req: Request): boolean {
  const origin = req.get('origin');
  const foreign = origin !== undefined && origin !== `${req.protocol}://${req.get('host')}`;
  return foreign || req.get('sec-fetch-site') === 'cross-site';
}
