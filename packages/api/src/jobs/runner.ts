import { createHash } from 'node:crypto';
import { asDate, databaseHandle, type EntityManager, type Orm } from '@atrium/db';
import { PgBoss, fromPglite, type ConstructorOptions, type Job, type JobWithMetadata, type SendOptions } from 'pg-boss';
import type { z } from 'zod';
import type { ServiceConfig } from '../context';
import { fitText } from '@atrium/db/text';
import { logger } from '../observability/log';
import { jobFailures } from '../observability/metrics';

/** What a handler gets besides its payload: its own EntityManager, the process's services, and a way to enqueue more. */
export type JobContext = {
  em: EntityManager;
  config: ServiceConfig;
  jobId: string;
  /** 0 on the first run, then 1, 2, … on retries. */
  retryCount: number;
  /** Aborted when the process stops before the job finished: stop early, the job will run again. */
  signal: AbortSignal;
};

export type JobRetry = {
  /** Retries after the first failure (default 3). */
  limit: number;
  /** Seconds before the first retry (default 10). */
  delaySeconds: number;
  /** Double the delay after each failure, with jitter (default true). */
  backoff?: boolean;
  /** The longest delay between retries with backoff (default 1 hour). */
  maxDelaySeconds?: number;
};

export type JobDefinition<T> = {
  /** Queue name: `<domain>.<what>`, e.g. `chat.title`. */
  name: string;
  /** The payload's schema: checked when a job is enqueued and again when it runs. Keep it to ids, not user text. */
  data: z.ZodType<T>;
  /** Does the work. Throw to fail the attempt (it is retried); must be safe to run twice. */
  run(data: T, context: JobContext): Promise<unknown>;
  retry?: Partial<JobRetry>;
  /** An attempt running longer than this is failed and retried (default 15 minutes). */
  timeoutSeconds?: number;
  /**
   * For long jobs: a running attempt proves it is alive every `heartbeatSeconds / 2` (at least 10);
   * one whose process died is retried after this, not after the whole timeout.
   */
  heartbeatSeconds?: number;
  /** How many jobs of this kind one process runs at once (default 2). */
  concurrency?: number;
  /** Recurring work: a cron expression (UTC unless `tz`) and the payload each run gets. */
  schedule?: { cron: string; data: T; tz?: string };
};

/** Declares a job kind; list it in `jobs/catalog.ts` so every process knows it. */
export const defineJob = <T>(definition: JobDefinition<T>): JobDefinition<T> => definition;

export type EnqueueOptions = {
  /**
   * At most one job for this key, ever (while finished jobs are kept, 7 days): a second enqueue
   * with the same key is ignored and returns null. For "once per message"-style work.
   */
  once?: string;
  /** Run no earlier than this. */
  startAfter?: Date;
};

/** What services need: enqueue a job. `ServiceConfig.jobs` carries the process's runner. */
export type JobQueue = {
  enqueue<T>(job: JobDefinition<T>, data: T, options?: EnqueueOptions): Promise<string | null>;
};

/** Where a job is, as the admin app shows it: `queued` covers new jobs and those waiting to be retried. */
export type JobStatus = 'queued' | 'running' | 'failed' | 'completed' | 'cancelled';

export type JobSummary = {
  id: string;
  name: string;
  status: JobStatus;
  /** Attempts so far (a running job counts its current one). */
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  startAfter: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Why the last attempt failed (the error's message; never a stack trace). */
  reason: string | null;
};

export type JobCounts = { name: string; queued: number; running: number; failed: number; completed: number };

/** What the admin app reads and does, through `ServiceConfig.jobs`. */
export type JobAdmin = {
  counts(): Promise<JobCounts[]>;
  list(filter: { status: JobStatus; name?: string; before?: { createdAt: Date; id: string }; limit: number }): Promise<JobSummary[]>;
  retry(name: string, id: string): Promise<boolean>;
};

/** For a context without a runner: using jobs is a programming error there, said plainly. */
export const noJobQueue: JobQueue & JobAdmin = {
  enqueue(job) {
    return Promise.reject(new Error(`Cannot enqueue "${job.name}": no job runner in this context (pass config.jobs).`));
  },
  counts: () => Promise.reject(new Error('No job runner in this context.')),
  list: () => Promise.reject(new Error('No job runner in this context.')),
  retry: () => Promise.reject(new Error('No job runner in this context.')),
};

const STATES: Record<JobStatus, JobState[]> = {
  queued: ['created', 'retry'],
  running: ['active'],
  failed: ['failed'],
  completed: ['completed'],
  cancelled: ['cancelled'],
};
const statusOf = (state: JobState): JobStatus =>
  (Object.keys(STATES) as JobStatus[]).find((status) => STATES[status].includes(state)) ?? 'queued';

type JobRow = {
  id: string;
  name: string;
  state: JobState;
  retry_count: number;
  retry_limit: number;
  created_on: Date | string;
  start_after: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  output: unknown;
};

function failureReason(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const message = (output as { message?: unknown }).message;
  return typeof message === 'string' ? fitText(message, 2000) : null;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export type JobRunnerOptions = {
  /** Run handlers in this process (default true). Off: enqueue only, and `drain()` runs due jobs on demand (tests). */
  work?: boolean;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** Seconds between polls for due jobs when no notification arrives (default 2). */
  pollingSeconds?: number;
  /** Seconds between checks for attempts that outlived their timeout (a dead process's jobs), default 60. */
  superviseSeconds?: number;
  log?: (line: string, error?: unknown) => void;
};

const DEFAULT_RETRY: JobRetry = { limit: 3, delaySeconds: 10, backoff: true, maxDelaySeconds: 3600 };

/**
 * Background work on pg-boss in the application's own database (PGlite or PostgreSQL): jobs
 * survive restarts, retry with backoff, and run once across any number of replicas
 * (`FOR UPDATE SKIP LOCKED`); cron schedules fire once per slot however many processes run.
 */
export class JobRunner implements JobQueue, JobAdmin {
  readonly #boss: PgBoss;
  readonly #orm: Orm;
  readonly #config: ServiceConfig;
  readonly #definitions = new Map<string, JobDefinition<unknown>>();
  readonly #options: Required<Pick<JobRunnerOptions, 'work' | 'pollingSeconds' | 'log'>>;
  readonly #schema: string;
  readonly #stopping = new AbortController();
  #started = false;

  private constructor(boss: PgBoss, orm: Orm, config: ServiceConfig, options: JobRunnerOptions) {
    this.#boss = boss;
    this.#schema = options.schema ?? 'pgboss';
    this.#orm = orm;
    this.#config = config;
    this.#options = {
      work: options.work ?? true,
      pollingSeconds: options.pollingSeconds ?? 2,
      log: options.log ?? ((line, error) => (error === undefined ? logger.info(line) : logger.error({ err: error }, line))),
    };
    boss.on('error', (error) => this.#options.log('[jobs] pg-boss error:', error));
  }

  /**
   * Opens pg-boss on the ORM's database (creating or migrating its schema), creates a queue per
   * definition, registers the schedules, and starts the workers unless `work: false`.
   */
  static async start(
    orm: Orm,
    config: ServiceConfig,
    definitions: readonly JobDefinition<unknown>[],
    options: JobRunnerOptions = {},
  ): Promise<JobRunner> {
    const work = options.work ?? true;
    const handle = await databaseHandle(orm);
    const shared: ConstructorOptions = {
      schema: options.schema ?? 'pgboss',
      // Maintenance and the cron clock only where jobs are worked; an enqueue-only process needs neither.
      supervise: work,
      schedule: work,
      superviseIntervalSeconds: options.superviseSeconds ?? 60,
      monitorIntervalSeconds: options.superviseSeconds ?? 60,
      useListenNotify: true,
      // pg-boss's instance registry samples this process's event-loop delay every 20 ms, idle or
      // not (~3 ms of CPU a second, and a wake-up between a streaming answer's chunks). Nothing
      // reads the registry: /metrics and the health checks say how each replica does.
      registerInstance: false,
    };
    const boss =
      handle.kind === 'pglite'
        ? new PgBoss({ ...shared, db: fromPglite(handle.pglite), backend: 'pglite' })
        : new PgBoss({ ...shared, connectionString: handle.url, max: 4 });
    const runner = new JobRunner(boss, orm, config, options);
    await boss.start();
    runner.#started = true;
    for (const definition of definitions) await runner.#register(definition);
    if (work) await runner.#dropRetiredSchedules();
    return runner;
  }

  async #register(definition: JobDefinition<unknown>) {
    if (this.#definitions.has(definition.name)) throw new Error(`Job "${definition.name}" is defined twice.`);
    this.#definitions.set(definition.name, definition);
    const retry = { ...DEFAULT_RETRY, ...definition.retry };
    const backoff = retry.backoff ?? true;
    const queue = {
      retryLimit: retry.limit,
      retryDelay: retry.delaySeconds,
      retryBackoff: backoff,
      ...(backoff && retry.maxDelaySeconds ? { retryDelayMax: retry.maxDelaySeconds } : {}),
      expireInSeconds: definition.timeoutSeconds ?? 15 * 60,
      ...(definition.heartbeatSeconds ? { heartbeatSeconds: definition.heartbeatSeconds } : {}),
      notify: true,
    };
    if (await this.#boss.getQueue(definition.name)) await this.#boss.updateQueue(definition.name, queue);
    else await this.#boss.createQueue(definition.name, queue).catch(async (error: unknown) => {
      // Another replica created it between our look and our create.
      if (!(await this.#boss.getQueue(definition.name))) throw error;
    });
    if (!this.#options.work) return;
    if (definition.schedule) {
      await this.#boss.schedule(definition.name, definition.schedule.cron, this.#parse(definition, definition.schedule.data) as object, {
        tz: definition.schedule.tz ?? 'UTC',
      });
    }
    await this.#boss.work<unknown>(
      definition.name,
      {
        batchSize: 1,
        localConcurrency: definition.concurrency ?? 2,
        pollingIntervalSeconds: this.#options.pollingSeconds,
        // NOTIFY wakes a worker at once for jobs sent while it listens; polling finds the rest (sent while it was down).
        notifyPollingIntervalSeconds: this.#options.pollingSeconds,
      },
      async ([job]) => {
        if (job) await this.#execute(definition, job);
      },
    );
  }

  /** A schedule whose job kind left the catalogue would otherwise keep queuing work nobody runs. */
  async #dropRetiredSchedules() {
    for (const schedule of await this.#boss.getSchedules()) {
      if (!this.#definitions.get(schedule.name)?.schedule) await this.#boss.unschedule(schedule.name, schedule.key);
    }
  }

  #parse(definition: JobDefinition<unknown>, data: unknown) {
    const parsed = definition.data.safeParse(data);
    if (!parsed.success) throw new Error(`Invalid data for job "${definition.name}": ${parsed.error.message}`);
    return parsed.data;
  }

  async #execute(definition: JobDefinition<unknown>, job: Job<unknown>) {
    // A worker's job carries pg-boss's signal; one fetched by drain() does not.
    const signal = job.signal instanceof AbortSignal ? AbortSignal.any([job.signal, this.#stopping.signal]) : this.#stopping.signal;
    try {
      await definition.run(this.#parse(definition, job.data), {
        em: this.#orm.em.fork(),
        config: this.#config,
        jobId: job.id,
        retryCount: job.retryCount,
        signal,
      });
    } catch (error) {
      jobFailures.inc({ name: definition.name });
      this.#options.log(`[jobs] ${definition.name} ${job.id} failed (attempt ${job.retryCount + 1}):`, error);
      throw error;
    }
  }

  #definition(name: string) {
    const definition = this.#definitions.get(name);
    if (!definition) throw new Error(`Unknown job "${name}": list its definition in jobs/catalog.ts.`);
    return definition;
  }

  async enqueue<T>(job: JobDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<string | null> {
    const definition = this.#definition(job.name);
    const send: SendOptions = {};
    if (options.once) send.id = uuidFromKey(`${job.name}\u0000${options.once}`);
    if (options.startAfter) send.startAfter = options.startAfter;
    return this.#boss.send(job.name, this.#parse(definition, data) as object, send);
  }

  /**
   * Runs every due job (of every kind, or of the `only` kinds) in this process, until none is
   * left; returns how many ran.
   * For tests (with `work: false`) and scripts: deterministic, no polling.
   */
  async drain(options: { only?: readonly Pick<JobDefinition<unknown>, 'name'>[] } = {}): Promise<number> {
    const definitions = options.only ? options.only.map((job) => this.#definition(job.name)) : [...this.#definitions.values()];
    let total = 0;
    for (;;) {
      let ran = 0;
      // One statement says which kinds have jobs waiting, instead of a fetch per kind (a dozen
      // statements on every drain, most of them for empty queues).
      const waiting = new Set(
        (await this.#boss.getDb().executeSql(`select distinct name from ${this.#schema}.job where state in ('created', 'retry')`)).rows.map(
          (row: { name: string }) => row.name,
        ),
      );
      for (const definition of definitions) {
        if (!waiting.has(definition.name)) continue;
        for (const job of await this.#boss.fetch<unknown>(definition.name, { batchSize: 20 })) {
          ran += 1;
          try {
            await this.#execute(definition, job);
            await this.#boss.complete(definition.name, job.id);
          } catch (error) {
            await this.#boss.fail(definition.name, job.id, serializeError(error));
          }
        }
      }
      total += ran;
      if (ran === 0) return total;
    }
  }

  /** One job with its state, attempts and output (the failure reason for a failed one). */
  async find(name: string, id: string): Promise<JobWithMetadata<unknown> | null> {
    this.#definition(name);
    const [job] = await this.#boss.findJobs<unknown>(name, { id });
    return job ?? null;
  }

  /** Per job kind this process knows: how many are queued, running, failed, and completed (kept 7 days). */
  async counts(): Promise<JobCounts[]> {
    const rows = await this.#orm.em.fork().execute<{ name: string; queued: string | number; running: string | number; failed: string | number; completed: string | number }[]>(
      `select name,
              count(*) filter (where state in ('created', 'retry')) as queued,
              count(*) filter (where state = 'active') as running,
              count(*) filter (where state = 'failed') as failed,
              count(*) filter (where state = 'completed') as completed
         from ${this.#schema}.job group by name`,
    );
    return this.names.sort().map((name) => {
      const row = rows.find((candidate) => candidate.name === name);
      return {
        name,
        queued: Number(row?.queued ?? 0),
        running: Number(row?.running ?? 0),
        failed: Number(row?.failed ?? 0),
        completed: Number(row?.completed ?? 0),
      };
    });
  }

  /** Jobs in one status, newest first, a page at a time (keyset on creation time and id). */
  async list(filter: { status: JobStatus; name?: string; before?: { createdAt: Date; id: string }; limit: number }): Promise<JobSummary[]> {
    const where = [`state in (${STATES[filter.status].map(() => '?').join(', ')})`];
    const params: unknown[] = [...STATES[filter.status]];
    if (filter.name) {
      where.push('name = ?');
      params.push(filter.name);
    }
    // pg-boss stamps jobs to the microsecond, a cursor carries a Date (milliseconds): pages are
    // ordered and cut at the cursor's precision, else jobs enqueued within one millisecond of the
    // last one shown fall between two pages.
    const createdMs = `date_trunc('milliseconds', created_on)`;
    if (filter.before) {
      where.push(`(${createdMs}, id) < (?, ?::uuid)`);
      params.push(filter.before.createdAt, filter.before.id);
    }
    const rows = await this.#orm.em.fork().execute<JobRow[]>(
      `select id, name, state, retry_count, retry_limit, created_on, start_after, started_on, completed_on, output
         from ${this.#schema}.job where ${where.join(' and ')}
        order by ${createdMs} desc, id desc limit ?`,
      [...params, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: statusOf(row.state),
      attempts: row.retry_count + (row.state === 'created' ? 0 : 1),
      maxAttempts: row.retry_limit + 1,
      createdAt: asDate(row.created_on),
      startAfter: asDate(row.start_after),
      startedAt: row.started_on ? asDate(row.started_on) : null,
      finishedAt: row.completed_on ? asDate(row.completed_on) : null,
      reason: row.state === 'failed' || row.state === 'retry' ? failureReason(row.output) : null,
    }));
  }

  /** Runs a failed job again from its first attempt; false when there is no such failed job. */
  async retry(name: string, id: string) {
    if (!this.#definitions.has(name)) return false;
    // The declared type is empty; the result carries `affected` (pg-boss's mapCommandResponse).
    const result = (await this.#boss.retry(name, id)) as { affected?: number };
    return (result.affected ?? 0) > 0;
  }

  /** The names of the job kinds this process knows. */
  get names() {
    return [...this.#definitions.keys()];
  }

  /** pg-boss itself, for the admin views and metrics that read its tables. */
  get boss() {
    return this.#boss;
  }

  get started() {
    return this.#started;
  }

  /**
   * Stops taking jobs, lets running ones finish for up to `timeoutMs`, then aborts their signals;
   * an unfinished job is retried by another process once its attempt expires.
   */
  async stop(options: { timeoutMs?: number } = {}) {
    if (!this.#started) return;
    this.#started = false;
    const timeout = options.timeoutMs ?? 10_000;
    const abort = setTimeout(() => this.#stopping.abort(new Error('The process is stopping.')), timeout);
    try {
      await this.#boss.stop({ graceful: true, close: true, timeout: timeout + 1000 });
    } finally {
      clearTimeout(abort);
    }
  }
}

/** A stable uuid for a key: pg-boss ignores a second job with the same id. */
function uuidFromKey(key: string) {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function serializeError(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
