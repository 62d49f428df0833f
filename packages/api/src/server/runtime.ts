import { providerSettingsFromEnv, readAiEnv } from '@atrium/ai';
import { hashPassword, ldapConfigFromEnv, readAuthEnv, ssoConfigFromEnv } from '@atrium/auth';
import { connectionPoolStats, listenForChanges, migrate, openOrm, seed, targetFromEnv, type DatabaseTarget, type Orm, type OrmOptions } from '@atrium/db';
import type { ServiceConfig } from '../context';
import { createFileStore, readFilesEnv, type FileStore } from '../files';
import { afterWorkSettled } from '../routers/chat/chat.service';
import { readServerEnv } from './env';
import { jobCatalog } from '../jobs/catalog';
import { JobRunner, noJobQueue, type JobDefinition } from '../jobs/runner';
import { logger } from '../observability/log';
import { watchRuntime } from '../observability/metrics';
import { AnswerRelay, databaseBus, inProcessRelay } from '../routers/chat/relay';
import { KnownReads } from '../routers/chat/known-reads';
import { RunningAnswers } from '../routers/chat/running-answers';
import { startMetricsServer } from './operations';

export type ApiRuntime = {
  orm: Orm;
  config: ServiceConfig;
  secureCookies: boolean;
  trustProxy: string;
  /** Each app's address as browsers and identity providers see it, when set (behind a reverse proxy). */
  publicUrls: { web: string | null; admin: string | null };
  /** Caps on /api/trpc requests, applied before parsing (TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES). */
  requestLimits: RequestLimits;
  /** Background jobs on pg-boss in the same database; `config.jobs` is the same runner. */
  jobs: JobRunner;
  /** Where files live (`FILE_STORE`); `config.files` is the same store. */
  files: FileStore;
  /** Set when the process starts stopping: readiness reports false from then on. */
  stopping: boolean;
  /** Metrics and shutdown settings (METRICS_TOKEN, SHUTDOWN_DELAY_SECONDS, SHUTDOWN_DRAIN_SECONDS). */
  operations: { metricsToken: string | null; metricsUrl: string | null; shutdownDelayMs: number; drainMs: number };
  /** Closes what the runtime opened, the database last. A stopping server calls `shutDown` (shutdown.ts), which ends here. */
  close(): Promise<void>;
};

export type RequestLimits = { maxBatchSize: number; maxBodyBytes: number };

export type ApiRuntimeOptions = {
  target?: DatabaseTarget;
  migrate?: boolean;
  seed?: boolean;
  log?: (line: string) => void;
  config?: Partial<ServiceConfig>;
  /** Overrides `ATRIUM_WEB_URL` / `ATRIUM_ADMIN_URL` (tests). */
  publicUrls?: ApiRuntime['publicUrls'];
  /** Sees every SQL statement (the benchmark counts them). */
  observeQueries?: OrmOptions['observeQueries'];
  /** Work jobs in this process (default: `JOBS_WORK`, on unless set to false). */
  workJobs?: boolean;
  /** Job kinds besides the catalogue's (a test's own). */
  jobs?: JobDefinition<unknown>[];
  /** Where files live; by default the store `FILE_STORE` names. */
  files?: (orm: Orm) => FileStore;
  /** Serve metrics on their own listener at this port (default: `METRICS_PORT`; null: none). */
  metricsPort?: number | null;
};

/** Opens the database for a server process; in development it also migrates and seeds. */
export async function createApiRuntime(options: ApiRuntimeOptions = {}): Promise<ApiRuntime> {
  const serverEnv = readServerEnv();
  const aiEnv = readAiEnv();
  const filesEnv = readFilesEnv();
  const config: ServiceConfig = {
    ldap: ldapConfigFromEnv(readAuthEnv()),
    sso: ssoConfigFromEnv(),
    now: () => new Date(),
    providers: providerSettingsFromEnv(aiEnv),
    llm: { timeoutMs: aiEnv.LLM_TIMEOUT_MS, firstTokenTimeoutMs: aiEnv.LLM_FIRST_TOKEN_TIMEOUT_MS, imageTimeoutMs: aiEnv.LLM_IMAGE_TIMEOUT_MS },
    usageTimeZone: serverEnv.USAGE_TIME_ZONE,
    lease: { ms: serverEnv.TOKEN_LEASE_SECONDS * 1000, renewMs: Math.min(2_000, (serverEnv.TOKEN_LEASE_SECONDS * 1000) / 4) },
    jobs: noJobQueue,
    uploads: {
      maxDocumentBytes: filesEnv.UPLOAD_MAX_DOCUMENT_BYTES,
      maxImageBytes: filesEnv.UPLOAD_MAX_IMAGE_BYTES,
      maxTextBytes: filesEnv.UPLOAD_MAX_TEXT_BYTES,
      maxImagePixels: filesEnv.IMAGE_MAX_PIXELS,
    },
    files: null,
    answers: new RunningAnswers(),
    relay: inProcessRelay,
    knownReads: new KnownReads(),
    ...options.config,
  };
  const orm = await openOrm(options.target ?? targetFromEnv(), options.observeQueries ? { observeQueries: options.observeQueries } : {});
  const log = options.log ?? ((line: string) => logger.info(line));
  if (options.migrate) {
    const applied = await migrate(orm);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  }
  if (options.seed) await seedAndReport(orm, log);
  const files = options.files ? options.files(orm) : createFileStore(orm, filesEnv);
  config.files = files;
  // Settings, catalogue and limits are cached in memory; other replicas' changes arrive here.
  const stopListening = await listenForChanges(orm);
  // Answers are relayed between replicas over the same database (a reload may land anywhere).
  const relay = options.config?.relay ?? new AnswerRelay(await databaseBus(orm));
  config.relay = relay;
  const jobs = await JobRunner.start(orm, config, [...jobCatalog, ...(options.jobs ?? [])], {
    work: options.workJobs ?? serverEnv.JOBS_WORK,
    pollingSeconds: serverEnv.JOBS_POLL_SECONDS,
    superviseSeconds: serverEnv.JOBS_SUPERVISE_SECONDS,
    // A caller that takes the log (a test, a script) takes the jobs' failures too.
    ...(options.log ? { log: (line: string, error?: unknown) => log(error === undefined ? line : `${line} ${String(error)}`) } : {}),
  });
  config.jobs = jobs;
  const unwatch = watchRuntime({ jobs: () => jobs.counts(), pool: () => connectionPoolStats(orm) });
  const metricsPort = options.metricsPort === undefined ? serverEnv.METRICS_PORT : options.metricsPort;
  const metricsServer = metricsPort ? await startMetricsServer(metricsPort, serverEnv.METRICS_HOST) : null;
  if (metricsServer) log(`Metrics on ${metricsServer.url}`);
  return {
    orm,
    config,
    secureCookies: serverEnv.secureCookies,
    trustProxy: serverEnv.TRUST_PROXY,
    publicUrls: options.publicUrls ?? { web: serverEnv.ATRIUM_WEB_URL ?? null, admin: serverEnv.ATRIUM_ADMIN_URL ?? null },
    requestLimits: { maxBatchSize: serverEnv.TRPC_MAX_BATCH_SIZE, maxBodyBytes: serverEnv.TRPC_MAX_BODY_BYTES },
    jobs,
    files,
    stopping: false,
    operations: {
      metricsToken: serverEnv.METRICS_TOKEN ?? null,
      metricsUrl: metricsServer?.url ?? null,
      shutdownDelayMs: serverEnv.SHUTDOWN_DELAY_SECONDS * 1000,
      drainMs: serverEnv.SHUTDOWN_DRAIN_SECONDS * 1000,
    },
    async close() {
      // Answers already sent enqueue their after-work before the queue closes; running jobs finish or are handed back.
      await afterWorkSettled();
      await jobs.stop({ timeoutMs: serverEnv.JOBS_STOP_TIMEOUT_MS });
      await stopListening();
      if (relay !== options.config?.relay) await relay.close();
      await files.close();
      unwatch();
      await metricsServer?.close();
      await orm.close(true);
    },
  };
}

/** Seeds idempotently and prints the first admin's login the one time it is created. */
export async function seedAndReport(orm: Orm, log: (line: string) => void = (line) => logger.info(line)) {
  const result = await seed(orm.em.fork(), { hashPassword });
  if (result.admin.created) {
    log('');
    log('  First admin created. Sign in with:');
    log(`    username: ${result.admin.username}`);
    log(`    password: ${result.admin.password}`);
    log('  The password is shown only this once; change it after signing in.');
    log('');
  } else {
    log(`Admin account: ${result.admin.username} (already set up).`);
  }
  return result;
}
