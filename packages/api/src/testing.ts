import { PostgresFileStore } from './files';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@atrium/auth';
import { createSession, hashPassword } from '@atrium/auth';
import { makeLocalUser, testClock } from '@atrium/auth/testing';
import { listenForChanges, seed, type IUser, type Role } from '@atrium/db';
import { createTestDatabase, migratedPgliteTarget, type TestDatabaseKind } from '@atrium/db/testing';
import express from 'express';
import { createContextInner, defaultServiceConfig, type RequestMeta, type ServiceConfig } from './context';
import { createCaller, type AtriumCaller } from './root';
import { afterWorkSettled } from './routers/chat/chat.service';
import { AnswerRelay, databaseBus } from './routers/chat/relay';
import { jobCatalog } from './jobs/catalog';
import { JobRunner, type JobDefinition } from './jobs/runner';
import { createApiRuntime, type ApiRuntimeOptions } from './server/runtime';
import { createOpenAiRouter } from './openai';
import { createTrpcMiddleware } from './server/http';
import { createFilesRouter } from './server/files';
import { createExportsRouter } from './server/exports';
import { createSsoRouter, type SsoApp } from './server/sso';

/**
 * Test support for router tests: a fresh migrated database, and callers acting as whoever a
 * test needs, through the same procedures the apps use.
 */
export async function createApiTestKit(
  kind: TestDatabaseKind = 'pglite',
  options: { config?: Partial<ServiceConfig>; /** Job kinds besides the catalogue's, for a test's own jobs. */ jobs?: JobDefinition<unknown>[] } = {},
) {
  const db = await createTestDatabase(kind);
  // As a server does: cached settings learn of changes over LISTEN/NOTIFY.
  const stopListening = await listenForChanges(db.orm);
  // The catalogue, singletons and default limits, as a fresh install has them.
  await seed(db.orm.em.fork(), { hashPassword });
  const clock = testClock(new Date());
  // Answers are relayed over the database's own LISTEN/NOTIFY, as on a server.
  const relay = new AnswerRelay(await databaseBus(db.orm));
  const config: ServiceConfig = { ...defaultServiceConfig(), now: clock as Clock, files: new PostgresFileStore(db.orm.em), relay, ...options.config };
  // A real pg-boss on the test database, worked on demand: `afterWork()` runs what is due.
  const jobs = await JobRunner.start(db.orm, config, [...jobCatalog, ...(options.jobs ?? [])], { work: false, log: () => {} });
  config.jobs = jobs;

  const callerFor = (
    user: IUser | null,
    extra: {
      session?: { id: string; type: 'active_session' | 'remember_token'; expiresAt: Date } | null;
      apiKey?: { id: string; prefix: string; name: string } | null;
      meta?: Partial<RequestMeta>;
      signal?: AbortSignal;
    } = {},
  ): AtriumCaller =>
    createCaller(
      createContextInner({ em: db.orm.em.fork(), user, session: extra.session ?? null, apiKey: extra.apiKey ?? null, meta: extra.meta ?? {}, config }),
      extra.signal ? { signal: extra.signal } : {},
    );

  /** A signed-in user with a real session row, and a caller acting as them. */
  async function signedIn(role: Role = 'student') {
    const em = db.orm.em.fork();
    const { user, password } = await makeLocalUser(em, { role });
    const { token, session } = await createSession(em, user, { type: 'active_session' }, clock);
    const caller = callerFor(user, { session: { id: session.id, type: session.type, expiresAt: session.expiresAt } });
    return { user, password, token, session, caller };
  }

  /** Waits for finished turns to enqueue their after-work, then runs every due job (title, cache, summary, …). */
  const afterWork = async () => {
    await afterWorkSettled();
    return jobs.drain();
  };

  const close = async () => {
    await afterWorkSettled();
    await jobs.stop();
    await stopListening();
    await relay.close();
    await db.close();
  };
  return { db, clock, config, jobs, afterWork, callerFor, signedIn, anonymous: () => callerFor(null), close };
}
export type ApiTestKit = Awaited<ReturnType<typeof createApiTestKit>>;

/** The real HTTP stack (express + tRPC adapter + cookie/bearer resolution) on a loopback port. */
export async function startTestApiServer(
  options: { config?: Partial<ServiceConfig>; app?: SsoApp; publicUrls?: { web: string | null; admin: string | null } } & Pick<ApiRuntimeOptions, 'target' | 'files' | 'seed' | 'workJobs'> = {},
) {
  const runtime = await createApiRuntime({
    target: options.target ?? (await migratedPgliteTarget()),
    migrate: true,
    seed: options.seed ?? false,
    log: () => {},
    config: { ldap: null, sso: { oidc: [], saml: null }, ...options.config },
    ...(options.publicUrls ? { publicUrls: options.publicUrls } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.workJobs !== undefined ? { workJobs: options.workJobs } : {}),
  });
  const app = express();
  app.use('/api/trpc', createTrpcMiddleware(runtime));
  app.use('/auth', createSsoRouter(runtime, options.app ?? 'web'));
  app.use('/api/files', createFilesRouter(runtime));
  app.use('/api/exports', createExportsRouter(runtime));
  app.use('/v1', createOpenAiRouter(runtime));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    runtime,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}
