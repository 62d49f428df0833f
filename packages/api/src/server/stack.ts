/**
 * The HTTP stack of an Atrium app, everything in front of its pages: request logging and timing,
 * probes and metrics, security headers, compression, then tRPC, files, exports, single sign-on and
 * the OpenAI-compatible API. The apps' server (`startRemixServer` in @atrium/ui) adds Remix behind
 * it; the benchmark's server (bench/server.process.ts) serves it as it is, so what the benchmark
 * measures is what a request to the apps goes through.
 */
import type { Server } from 'node:http';
import compression from 'compression';
import express, { type Express, type Request } from 'express';
import { createOpenAiRouter } from '../openai';
import { createExportsRouter } from './exports';
import { createFilesRouter } from './files';
import { createTrpcMiddleware } from './http';
import { createOperationsRouter, requestObservers } from './operations';
import type { ApiRuntime } from './runtime';
import { securityHeaders } from './security';
import { createSsoRouter, type SsoApp } from './sso';

export type AppStackOptions = {
  /** Which app this is: single sign-on into the admin app admits administrators only. */
  app: SsoApp;
  /** Vite's development server runs behind the stack: the CSP lets its HMR socket connect. */
  development: boolean;
};

/** `TRUST_PROXY` as express understands it: `true`/`false`, a hop count, or addresses/names. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

// Streamed tRPC answers (chat deltas) must reach the browser as they are written, so they are
// never buffered by gzip: compression is not even wrapped around them (its write and end
// wrappers would run for every chunk only to find the response filtered out).
const isStreamed = (req: Request) => req.get('trpc-accept') === 'application/jsonl' || req.get('accept') === 'text/event-stream';

/** An express app with the stack mounted, in this order; the caller adds its pages behind it. */
export function createAppStack(runtime: ApiRuntime, options: AppStackOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(runtime.trustProxy));
  // Every request is logged and timed; probes and metrics answer before anything else runs.
  app.use(requestObservers());
  app.use(createOperationsRouter(runtime));
  app.use(securityHeaders({ secure: runtime.secureCookies, development: options.development }));
  const compress = compression();
  app.use((req, res, next) => (isStreamed(req) ? next() : compress(req, res, next)));
  app.use('/api/trpc', createTrpcMiddleware(runtime));
  // Attachments: streamed uploads and owner-only downloads, beside tRPC on the same origin.
  app.use('/api/files', createFilesRouter(runtime));
  // "Download my data" archives, for the person they are about or the admin who made them.
  app.use('/api/exports', createExportsRouter(runtime));
  app.use('/auth', createSsoRouter(runtime, options.app));
  // The OpenAI-compatible API for tools that speak it (authenticated with personal API keys).
  app.use('/v1', createOpenAiRouter(runtime));
  return app;
}

/**
 * How long a client's idle connection stays open: longer than the 60 s a load balancer keeps its
 * own connections to a replica unused (ingress-nginx, AWS's ALB), so the replica is never the one
 * to close first. With Node's 5 s, a question sent on a connection the replica was just closing
 * failed as a 502 (a POST is not retried), and a browser talking to the replica directly opened a
 * new connection for every question asked after reading an answer.
 */
export const IDLE_CONNECTION_MS = 65_000;

/** The app's HTTP server keeps idle client connections for `IDLE_CONNECTION_MS`. */
export function keepIdleConnections(server: Server): Server {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  return server;
}
