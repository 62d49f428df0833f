/**
 * `npm run dev`: the whole product in one process on its embedded defaults: PGlite under
 * .data/, the offline Demo model, and both apps. One process, because PGlite is single-process.
 */
import { createApiRuntime } from '@atrium/api/server';
import { startStubUpstream } from '@atrium/testing/stub';
import { createAppServer as createAdminServer } from '../apps/admin/server';
import { createAppServer as createWebServer } from '../apps/web/server';

const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
const ADMIN_PORT = Number(process.env.ADMIN_PORT ?? 3001);
const DEMO_PORT = Number(process.env.DEMO_LLM_PORT ?? 3100);

const demo = process.env.DEMO_LLM_BASE_URL ? null : await startStubUpstream({ port: DEMO_PORT, demo: true });
if (demo) process.env.DEMO_LLM_BASE_URL = demo.url;

const runtime = await createApiRuntime({ migrate: true, seed: true });
const web = await createWebServer({ runtime, mode: 'development', port: WEB_PORT });
const admin = await createAdminServer({ runtime, mode: 'development', port: ADMIN_PORT });

console.log(`\n  Atrium is running on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (.data/)'}`);
console.log(`    web:   ${web.url}`);
console.log(`    admin: ${admin.url}`);
if (demo) console.log(`    demo model (offline): ${demo.url}`);
console.log('');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([web.close(), admin.close(), demo?.close()]);
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
