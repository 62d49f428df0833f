import { randomUUID } from 'node:crypto';
import { looksLikeApiKey, validateSessionToken } from '@atrium/auth';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { createContextInner, type Context, type CookieJar, type RequestMeta } from '../context';
import { appRouter, createCaller } from '../root';
import { authenticateApiKey } from '../routers/apiKeys/apiKeys.service';
import type { ApiRuntime } from './runtime';

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
    const found = await authenticateApiKey(em, bearer, { ip: req.ip ?? null, now: runtime.config.now });
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

  const validated = token ? await validateSessionToken(em, token, runtime.config.now) : null;
  if (token && !validated && !bearer) cookies.clearSessionCookie();
  if (validated?.renewed && !bearer) cookies.setSessionCookie(token!, validated.session);

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
  };
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

function requestIdOf(req: Request): string {
  const tagged = req as Request & { requestId?: string };
  tagged.requestId ??= req.get('x-request-id') ?? randomUUID();
  return tagged.requestId;
}

/** The tRPC endpoint for `/api/trpc`; unexpected errors are logged with the request id. */
export function createTrpcMiddleware(runtime: ApiRuntime): RequestHandler {
  const { maxBatchSize, maxBodyBytes } = runtime.requestLimits;
  const trpc = createExpressMiddleware({
    router: appRouter,
    maxBatchSize,
    // Bodies sent without a length (chunked) are cut off here once they pass the cap.
    maxBodySize: maxBodyBytes,
    createContext: ({ req, res }) => createRequestContext(runtime, req, res, 'wire'),
    onError({ error, path, ctx }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`[trpc] ${path ?? '?'} request ${ctx?.meta.requestId ?? '?'} failed:`, error.cause ?? error);
      }
    },
  });
  return (req, res, next) => {
    // A declared length over the cap is refused before a byte of the body is read.
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > maxBodyBytes) {
      res.status(413).set('connection', 'close').json(payloadTooLarge(maxBodyBytes));
      return;
    }
    return trpc(req, res, next);
  };
}

/** The error a tRPC client expects, for a body refused before tRPC saw it. */
const payloadTooLarge = (max: number) => ({
  error: {
    json: {
      message: `The request is larger than ${max} bytes.`,
      code: -32022,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path: null, zodError: null, limit: null },
    },
  },
});

/** What Remix loaders get as `context`: the router called in-process, as the requesting user. */
export async function createLoadContext(runtime: ApiRuntime, req: Request, res: Response) {
  return {
    trpc: createCaller(await createRequestContext(runtime, req, res)),
    /** This response's Content-Security-Policy nonce, for Remix's inline scripts. */
    cspNonce: (res.locals as { cspNonce?: string }).cspNonce ?? '',
  };
}

/** A browser request another site made (its Origin is not ours, or the browser says cross-site). */
export function isCrossSiteRequest(req: Request): boolean {
  const origin = req.get('origin');
  const foreign = origin !== undefined && origin !== `${req.protocol}://${req.get('host')}`;
  return foreign || req.get('sec-fetch-site') === 'cross-site';
}

export type AtriumLoadContext = Awaited<ReturnType<typeof createLoadContext>>;
