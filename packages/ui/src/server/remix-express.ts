/**
 * The express server both Remix apps run: the app's HTTP stack from @atrium/api (`createAppStack`:
 * logging, probes, security headers, compression, tRPC at /api/trpc and the other API routes),
 * then Remix for every page, through Vite in development and the built bundle in production.
 * Node-only: apps import it from their server.ts, never from app/ code.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createAppStack,
  createLoadContext,
  httpListener,
  isCrossSiteRequest,
  keepIdleConnections,
  type ApiRuntime,
  type Listener,
  type SsoApp,
} from '@atrium/api/server';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type RequestHandler } from 'express';
import type { ViteDevServer } from 'vite';

export type AppServerOptions = {
  runtime: ApiRuntime;
  mode: 'development' | 'production';
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to listen on; all interfaces when left out. */
  host?: string;
  /** Which app this is: single sign-on into the admin app admits administrators only. */
  app?: SsoApp;
  /** Production mode: the app's build, relative to the app's folder (default `build`). */
  buildDirectory?: string;
};

/** A running app: `stopAccepting` then `close` for a graceful stop (see `shutDown`), or `close` alone. */
export type AppServer = Listener & { url: string };

/**
 * Remix's Vite plugin keeps its development hooks (critical CSS, stack traces) in one global, so
 * with both apps in one process (`npm run dev`, tests) the app started last would answer for the
 * other and fail on its routes. Each app claims the hooks its Vite server just set; one router in
 * the global hands every call to the app whose server build it is about. Start apps one after
 * the other: Remix's plugin cannot be set up for two apps at the same moment.
 */
const DEV_HOOKS_KEY = '__remix_devServerHooks';
type DevServerHooks = { getCriticalCss?: (build: ServerBuild, url: string) => Promise<unknown>; processRequestError?: (error: unknown) => void };
const devHooksByBuild = new WeakMap<ServerBuild, DevServerHooks>();
const claimedDevHooks = new Set<DevServerHooks>();
const devHooksRouter: DevServerHooks = {
  getCriticalCss: async (build, url) => devHooksByBuild.get(build)?.getCriticalCss?.(build, url),
  processRequestError: (error) => claimedDevHooks.forEach((hooks) => hooks.processRequestError?.(error)),
};
function claimDevServerHooks(): DevServerHooks {
  const global = globalThis as Record<string, unknown>;
  const hooks = global[DEV_HOOKS_KEY] as DevServerHooks | undefined;
  global[DEV_HOOKS_KEY] = devHooksRouter;
  if (!hooks || hooks === devHooksRouter) return {};
  claimedDevHooks.add(hooks);
  return hooks;
}

/**
 * A form another site posts to one of our pages (sign-out, sessions, memory) must change nothing.
 * Its action never runs: the request becomes a view of the app's `/refused` route, which answers
 * 403 with the app's own error page, and nothing is logged as an error.
 */
export const REFUSED_PATH = '/refused';
const refuseCrossSiteForms: RequestHandler = (req, _res, next) => {
  if (!['GET', 'HEAD'].includes(req.method) && isCrossSiteRequest(req)) {
    req.method = 'GET';
    req.url = REFUSED_PATH;
    req.originalUrl = REFUSED_PATH; // what Remix's adapter reads
  }
  next();
};

/** Starts one Remix app (the folder `appDir`, holding vite.config.ts and build/) on its own port. */
export async function startRemixServer(appDir: string, options: AppServerOptions): Promise<AppServer> {
  const { runtime, mode } = options;
  const app = createAppStack(runtime, { app: options.app ?? 'web', development: mode === 'development' });
  const server = keepIdleConnections(createServer(app));

  let vite: ViteDevServer | undefined;
  let devHooks: DevServerHooks | undefined;
  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (mode === 'development') {
    const { createServer: createViteServer } = await import('vite');
    // HMR shares the app's own HTTP server, so two apps in one process never fight over a port.
    vite = await createViteServer({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      appType: 'custom',
      server: { middlewareMode: true, hmr: { server } },
    });
    const dev = vite;
    const hooks = (devHooks = claimDevServerHooks());
    app.use(dev.middlewares);
    build = async () => {
      const serverBuild = (await dev.ssrLoadModule('virtual:remix/server-build')) as ServerBuild;
      devHooksByBuild.set(serverBuild, hooks);
      return serverBuild;
    };
  } else {
    const buildDirectory = join(appDir, options.buildDirectory ?? 'build');
    const client = join(buildDirectory, 'client');
    // Fingerprinted file names: a changed file is a new URL, so these can be cached forever.
    app.use('/assets', express.static(join(client, 'assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(client, { maxAge: '1h' }));
    build = (await import(pathToFileURL(join(buildDirectory, 'server/index.js')).href)) as ServerBuild;
  }
  app.all('*', refuseCrossSiteForms, createRequestHandler({ build, mode, getLoadContext: (req, res) => createLoadContext(runtime, req, res) }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = !options.host || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  // Open streams (running answers) keep their connections until they end; idle ones close at once.
  const listener = httpListener(server, {
    async beforeClose() {
      if (devHooks) claimedDevHooks.delete(devHooks);
      await vite?.close();
    },
  });
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, ...listener };
}
