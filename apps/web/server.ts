/**
 * The web app's server: tRPC at /api/trpc and Remix for every page, on one origin.
 * `createAppServer` is used by `npm run dev` (both apps in one process) and the tests;
 * `tsx server.ts` runs this app alone on PORT (default 3000).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApiRuntime } from '@atrium/api/server';
import { startRemixServer, type AppServer, type AppServerOptions } from '@atrium/ui/server';

const appDir = fileURLToPath(new URL('.', import.meta.url));

export function createAppServer(options: AppServerOptions): Promise<AppServer> {
  return startRemixServer(appDir, { app: 'web', ...options });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode = process.env.NODE_ENV === 'production' ? 'production' : 'development';
  const runtime = await createApiRuntime({ migrate: mode !== 'production' });
  const server = await createAppServer({ runtime, mode, port: Number(process.env.PORT ?? 3000) });
  console.log(`Atrium web (${mode}) on ${server.url}`);

  const stop = async () => {
    await server.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
