/**
 * Atrium's file routes for the file benchmark, in a process of its own started the way
 * production starts (NODE_ENV=production, migrated, seeded): express + `/api/files`, the store
 * `FILE_STORE` names. Its RSS is sampled every 10 ms and reported to the parent over IPC, with the
 * peak since the last reset.
 */
import type { AddressInfo } from 'node:net';
import { createSession } from '@atrium/auth';
import { User, type DatabaseTarget } from '@atrium/db';
import express from 'express';
import { createFilesRouter } from '../src/server/files';
import { createApiRuntime, seedAndReport } from '../src/server/runtime';

const target = JSON.parse(process.env.BENCH_TARGET!) as DatabaseTarget;
// Jobs (the document's text extraction) stay queued: this measures storing and serving only.
const runtime = await createApiRuntime({ target, migrate: true, log: () => {}, workJobs: false, metricsPort: null });
await seedAndReport(runtime.orm, () => {});

const app = express();
app.disable('x-powered-by');
app.use('/api/files', createFilesRouter(runtime));
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));

let peakRss = process.memoryUsage.rss();
// ArrayBuffers too: Buffers are freed only when V8 collects them, so their peak shows the garbage RSS carries.
let peakArrayBuffers = process.memoryUsage().arrayBuffers;
const sampler = setInterval(() => {
  const { rss, arrayBuffers } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakArrayBuffers = Math.max(peakArrayBuffers, arrayBuffers);
}, 10);
sampler.unref();

type Command = { id: number; type: 'user' } | { id: number; type: 'stats'; resetPeak?: boolean; gc?: boolean } | { id: number; type: 'close' };
const reply = (id: number, body: Record<string, unknown>) => process.send!({ id, ...body });

process.on('message', (command: Command) => {
  void handle(command).catch((error: unknown) => reply(command.id, { error: String(error) }));
});

async function handle(command: Command) {
  switch (command.type) {
    case 'user': {
      const em = runtime.orm.em.fork();
      const user = em.create(User, { username: `files-bench-${Date.now()}`, displayName: 'Bench student', role: 'student', authSource: 'local', passwordHash: null });
      await em.flush();
      return reply(command.id, { token: (await createSession(em, user, { type: 'active_session' })).token });
    }
    case 'stats': {
      // A settled baseline: what is garbage now is not growth.
      if (command.gc) globalThis.gc?.();
      const { rss, arrayBuffers } = process.memoryUsage();
      const body = { rss, peakRss: Math.max(peakRss, rss), arrayBuffers, peakArrayBuffers: Math.max(peakArrayBuffers, arrayBuffers), driver: runtime.files.driver };
      if (command.resetPeak) {
        peakRss = rss;
        peakArrayBuffers = arrayBuffers;
      }
      return reply(command.id, body);
    }
    case 'close':
      server.closeAllConnections();
      server.close();
      await runtime.close();
      process.exit(0);
  }
}

process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
