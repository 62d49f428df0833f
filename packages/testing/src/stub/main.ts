/**
 * Run the offline Demo model on its own: `npx tsx packages/testing/src/stub/main.ts`, then
 * point DEMO_LLM_BASE_URL at the printed URL. (`npm run dev` starts it in-process instead.)
 */
import { startStubUpstream } from './server';

const port = Number(process.env.DEMO_LLM_PORT ?? 3100);
const stub = await startStubUpstream({ port, host: process.env.DEMO_LLM_HOST ?? '127.0.0.1', demo: true });
console.log(`Demo model (offline) listening: DEMO_LLM_BASE_URL=${stub.url}`);

const stop = () => void stub.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
