/**
 * What operators and their tools see of a server process: a JSON log line per request
 * (docs/decisions/195), Prometheus metrics, `/healthz` (the process is up) and `/readyz` (it can serve:
 * database reachable, migrations current, job runner started, not stopping).
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pendingMigrations } from '@atrium/db';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { logger, type Logger } from '../observability/log';
import { httpDuration, registry } from '../observability/metrics';
import { appRouter } from '../root';
import type { ApiRuntime } from './runtime';

const procedures = new Set(Object.keys(appRouter._def.procedures));
const OPENAI_ROUTES = new Set(['/v1/chat/completions', '/v1/models']);
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The tRPC procedures a request calls (`a,b` for a batch), from its path. */
export function proceduresOf(path: string): string[] | null {
  const match = /^\/api\/trpc\/([^/?#]+)/.exec(path);
  return match ? decodeURIComponent(match[1]!).split(',') : null;
}

/**
 * A bounded label for a request: the procedure for tRPC (`batch` for several), known API paths,
 * `static` for files and the development server's modules, `page` for everything Remix renders.
 */
export function routeLabel(url: string): string {
  const path = url.split('?')[0] ?? '/';
  const called = proceduresOf(path);
  if (called) return called.length > 1 ? 'trpc:batch' : procedures.has(called[0]!) ? `trpc:${called[0]}` : 'trpc:unknown';
  if (PROBES.has(path)) return path;
  if (path.startsWith('/v1/')) return OPENAI_ROUTES.has(path) ? path : '/v1/other';
  if (path.startsWith('/api/files')) return '/api/files';
  if (path.startsWith('/auth/')) return '/auth';
  if (/^\/(assets|build|@|node_modules|app)\b/.test(path) || /\.\w{1,8}$/.test(path)) return 'static';
  return 'page';
}

type Locals = { userId?: string };

/** Request ids: the caller's (a proxy's) when it is a sane token, otherwise a fresh one; echoed back. */
function requestId(req: IncomingMessage, res: ServerResponse) {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

type LoggedRequest = Request & { id?: string; log?: Logger };
type LoggedResponse = Response & { log?: Logger };
type Level = 'info' | 'warn' | 'error';

/**
 * Logs every request once it ends, and times it for the latency histogram. The line is the one
 * pino-http wrote: `req` ({ id, method, url, ip }), `userId` and `procedure` when known, `res`
 * ({ status }), `responseTime`, and `err` on a failure, in that order. pino-http made two or three
 * child loggers per request (each serialized and redacted) for that one line; here the request's
 * own logger (`req.log` and `res.log`, with the `req` bindings, for lines logged while it runs)
 * is made only when something logs through it.
 */
export function requestObservers(): RequestHandler[] {
  // A request line's fields are the ones below, none of them a secret's name: pino's field
  // redaction (every path tried against every object in the line) has nothing to find in it and
  // is skipped; the pattern scrub of every line written (a token in the URL) still runs. A
  // failure's line carries an error, whose fields could be anything, and is redacted as usual.
  const lines = logger.child({}, { redact: [] });
  const observe: RequestHandler = (req: LoggedRequest, res: LoggedResponse, next) => {
    req.id ||= requestId(req, res);
    const started = Date.now();
    const stopTimer = httpDuration.startTimer({ method: req.method });
    const bindings = { id: req.id, method: req.method, url: req.originalUrl || req.url, ip: req.socket?.remoteAddress };
    let own: Logger | undefined;
    const ownLogger = () => (own ??= logger.child({ req: bindings }));
    lazyLogger(req, ownLogger);
    lazyLogger(res, ownLogger);
    // Once per request: the URL it names never changes (`originalUrl` is what routers mounted under a path leave alone).
    const route = routeLabel(req.originalUrl || req.url || '/');
    // Probes and files would drown the requests that matter.
    const logged = !IGNORED.has(route);
    let ended = false;
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      logRequest(lines, req, res, bindings, route, Date.now() - started, err);
    };
    if (logged) {
      res.on('close', end);
      res.on('finish', end);
    }
    res.on('error', end);
    res.once('close', () => stopTimer({ route, status: String(res.statusCode) }));
    next();
  };
  return [observe];
}

const IGNORED = new Set(['static', '/healthz', '/readyz', '/metrics']);

/** `target.log`: the request's logger, made on first use (assignable, as pino-http's was). */
function lazyLogger(target: { log?: Logger }, made: () => Logger) {
  Object.defineProperty(target, 'log', {
    get: made,
    set(value: Logger) {
      Object.defineProperty(target, 'log', { value, writable: true, configurable: true, enumerable: true });
    },
    configurable: true,
    enumerable: true,
  });
}

function logRequest(lines: Logger, req: LoggedRequest, res: LoggedResponse, bindings: object, route: string, responseTime: number, err: Error | undefined) {
  const status = res.statusCode;
  const level: Level = err || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  // Who asked is only known by the end, and only once the response has begun.
  const userId = res.headersSent ? (res.locals as Locals | undefined)?.userId : undefined;
  const called = res.headersSent ? proceduresOf((req.originalUrl ?? req.url ?? '/').split('?')[0]!) : null;
  const line: Record<string, unknown> = { req: bindings };
  if (userId) line.userId = userId;
  if (called) line.procedure = called.join(',');
  line.res = { status };
  if (err || status >= 500) {
    line.err = err ?? new Error(`failed with status code ${status}`);
    line.responseTime = responseTime;
    logger[level](line, `${req.method} ${route} ${status} failed`);
    return;
  }
  line.responseTime = responseTime;
  lines[level](line, `${req.method} ${route} ${status} ${responseTime}ms`);
}

export type Readiness = {
  ready: boolean;
  checks: { database: boolean; migrations: boolean; jobs: boolean; accepting: boolean };
  /** Why not ready, for a person reading the probe's body. */
  reasons: string[];
};

const currentMigrations = new WeakSet<ApiRuntime>();

/** Whether this process should get traffic: false from the moment it starts stopping. */
export async function readiness(runtime: ApiRuntime): Promise<Readiness> {
  const reasons: string[] = [];
  const accepting = !runtime.stopping;
  if (!accepting) reasons.push('stopping');
  const database = await withTimeout(runtime.orm.em.fork().execute('select 1'), 2000).then(
    () => true,
    (error: unknown) => (reasons.push(`database: ${error instanceof Error ? error.message : String(error)}`), false),
  );
  let migrations = currentMigrations.has(runtime);
  if (!migrations && database) {
    const pending = await pendingMigrations(runtime.orm).catch(() => ['(unknown)']);
    migrations = pending.length === 0;
    if (migrations) currentMigrations.add(runtime);
    else reasons.push(`pending migrations: ${pending.join(', ')}`);
  }
  const jobs = runtime.jobs.started;
  if (!jobs) reasons.push('job runner not started');
  return { ready: accepting && database && migrations && jobs, checks: { database, migrations, jobs, accepting }, reasons };
}

function withTimeout<T>(promise: Promise<T>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The metrics text, as Prometheus scrapes it. */
async function serveMetrics(res: ServerResponse) {
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** `/healthz`, `/readyz`, and `/metrics` for a caller with `METRICS_TOKEN` (not served when none is set). */
export function createOperationsRouter(runtime: ApiRuntime): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'up' });
  });
  router.get('/readyz', async (_req, res) => {
    const state = await readiness(runtime);
    res.status(state.ready ? 200 : 503).set('cache-control', 'no-store').json(state);
  });
  router.get('/metrics', async (req, res, next) => {
    const token = runtime.operations.metricsToken;
    if (!token) return next();
    const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'A metrics token is required.' });
      return;
    }
    await serveMetrics(res);
  });
  return router;
}

/** Metrics on a listener of their own (`METRICS_PORT`): nothing else is served there. */
export async function startMetricsServer(port: number, host: string) {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      serveMetrics(res).catch((error: unknown) => {
        logger.error({ err: error }, 'collecting metrics failed');
        res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found. Metrics are at /metrics.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
