/**
 * The web app's server: tRPC at /api/trpc and Remix for every page, on one origin.
 * `createAppServer` is used by `npm run dev` (both apps in one process) and the tests;
 * `npm run dev -w @atrium/web` runs this file alone on PORT (default 3000); `npm run start`, its
 * compiled form build/node/server.js.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApiRuntime, logger, stopOnSignals } from '@atrium/api/server';
import { startRemixServer, type AppServer, type AppServerOptions } from '@atrium/ui/server';

// The app's folder (vite.config.ts, build/): this file's own, or two up when compiled to build/node/server.js.
const appDir = fileURLToPath(new URL(import.meta.url.endsWith('/build/node/server.js') ? '../..' : '.', import.meta.url));

export function createAppServer(options: AppServerOptions): Promise<AppServer> {
  return startRemixServer(appDir, { app: 'web', ...options });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode = process.env.NODE_ENV === 'production' ? 'production' : 'development';
  const runtime = await createApiRuntime({ migrate: mode !== 'production' });
  const server = await createAppServer({ runtime, mode, port: Number(process.env.PORT ?? 3000) });
  logger.info({ url: server.url, mode, metrics: runtime.operations.metricsUrl }, 'Atrium web listening');
  // SIGTERM: not ready, running answers drain, then the database closes (docs/decisions/170).
  stopOnSignals(runtime, [server]);
}
