import { mkdirSync } from 'node:fs';
import { Migrator } from '@mikro-orm/migrations';
import { PGlite } from '@electric-sql/pglite';
import { PgliteConnection, PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver, type PostgreSqlConnection } from '@mikro-orm/postgresql';
import { DefaultLogger, MikroORM, type LoggerOptions, type Options, type SqlEntityManager } from '@mikro-orm/sql';
import { fileURLToPath } from 'node:url';
import { entities } from './entities';
import { defaultPgliteDir, readDbEnv } from './env';
import { attachTableWatch, observeStatement, TableWatch } from './watch';
import { migrationsList } from './migrations';
import { createPgliteCluster } from './pglite-cluster';

export type EntityManager = SqlEntityManager;
export type Orm = MikroORM;

/** Which database to open: a PostgreSQL URL, or a PGlite directory (or `memory://`). */
export type DatabaseTarget =
  | { kind: 'postgresql'; url: string }
  /** `image`: start from this dumped cluster instead of an empty one (the tests' migrated image). */
  | { kind: 'pglite'; dataDir: string; image?: Blob };

export const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));

export function targetFromEnv(env = readDbEnv()): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: 'postgresql', url: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: defaultPgliteDir(env) };
}

export type OrmOptions = {
  debug?: boolean;
  /**
   * Sees every statement sent, transaction control (`begin`, `commit`) included: how the
   * benchmark and the profiler count SQL round trips per chat turn.
   */
  observeQueries?: (sql: string, formatted?: string, params?: readonly unknown[]) => void;
  /** The PostgreSQL pool's sizes and idle time, over DATABASE_POOL_MIN / DATABASE_POOL_MAX. */
  pool?: { min?: number; max?: number; idleTimeoutMillis?: number };
};

/**
 * PGlite's PostgreSQL keeps its shared buffers in the process's own WebAssembly memory, where
 * initdb's default (128MB) is resident RSS on top of the 128 MiB the module starts with. 16MB
 * keeps the memory within that start (an embedded install's whole database is tens of MiB, and
 * pages beyond the buffers come from the OS's file cache): idle RSS 629 -> ~485 MiB in the probe.
 * 32MB already makes the memory grow (to ~386 MiB).
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

export const pgliteStartParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

/**
 * PGlite's options: its default start parameters plus the shared buffers above, and, for tests,
 * a dumped cluster to start from. A class, not an object literal: MikroORM deep-copies plain
 * option objects, and a copied Blob can no longer be read.
 */
class PgliteOptions {
  readonly startParams = pgliteStartParams;
  constructor(readonly loadDataDir?: Blob) {}
}

export function createOrmConfig(target: DatabaseTarget, options: OrmOptions = {}, watch = new TableWatch()): Options {
  const observe = options.observeQueries;
  const shared = {
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    // Every statement passes here: writes to cached tables are seen as they are sent (watch.ts).
    loggerFactory: (loggerOptions: LoggerOptions) =>
      new ObservedLogger(loggerOptions, (sql, params, formatted) => {
        observeStatement(watch, sql, params);
        observe?.(sql, formatted, params);
      }),
    forceUtcTimezone: true,
    // SQL functions (the message search's `atrium_fold`) are written by hand in migrations: the
    // schema diff leaves them alone instead of dropping what the entities do not declare.
    schemaGenerator: { ignoreRoutines: true },
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      migrationsList,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  } satisfies Options;
  if (target.kind === 'postgresql') {
    const env = readDbEnv();
    return {
      ...shared,
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      // An idle connection closes after 10 s, but the last `min` stay open: a student who reads an
      // answer for half a minute and asks again would otherwise wait for a new connection, its
      // start-up, and every statement parsed and planned again (a follow-up's first token +11 ms
      // on loopback; docs/performance.md, "Warm connections after a pause").
      pool: { min: env.DATABASE_POOL_MIN, max: env.DATABASE_POOL_MAX, idleTimeoutMillis: 10_000, ...options.pool },
      // TCP keep-alive probes after a minute idle (Linux waits two hours by default), so a firewall
      // or NAT between replica and database (4-6 minutes idle in the clouds' NATs) does not
      // silently drop the connections kept for the next quiet moment, and a gone server is noticed.
      driverOptions: { keepAlive: true, keepAliveInitialDelayMillis: 60_000 },
    };
  }
  if (!target.dataDir.startsWith('memory://')) mkdirSync(target.dataDir, { recursive: true });
  return {
    ...shared,
    driver: PgliteDriver,
    dbName: target.dataDir,
    driverOptions: new PgliteOptions(target.image),
  };
}

export async function openOrm(target: DatabaseTarget = targetFromEnv(), options: OrmOptions = {}) {
  // An empty PGlite directory gets its cluster from a process of its own (pglite-cluster.ts says why).
  if (target.kind === 'pglite' && !target.image && !target.dataDir.startsWith('memory://')) {
    mkdirSync(target.dataDir, { recursive: true });
    await createPgliteCluster(target.dataDir, new PgliteOptions().startParams);
  }
  const watch = new TableWatch();
  const orm = await MikroORM.init(createOrmConfig(target, { ...options, debug: options.debug ?? readDbEnv().DB_DEBUG }, watch));
  attachTableWatch(orm, watch);
  return orm;
}

class ObservedLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly observe: (sql: string, params: readonly unknown[], formatted?: string) => void,
  ) {
    super(options);
  }

  override logQuery(context: Parameters<DefaultLogger['logQuery']>[0]) {
    // The statement as written, its values apart, and `formatted`: the statement as sent,
    // parameters inlined (MikroORM formats before sending).
    const { params, formatted } = context as { params?: readonly unknown[]; formatted?: string };
    this.observe(context.query, params ?? [], formatted);
    super.logQuery(context);
  }
}

/**
 * The database under an ORM, for libraries that bring their own SQL (pg-boss): the PGlite
 * instance itself (one process owns it), or the PostgreSQL URL to open a pool of their own on.
 */
export async function databaseHandle(orm: Orm): Promise<{ kind: 'pglite'; pglite: PGlite } | { kind: 'postgresql'; url: string }> {
  const connection = orm.em.getConnection();
  if (connection instanceof PgliteConnection) return { kind: 'pglite', pglite: await connection.getNativeClient() };
  const url = orm.config.get('clientUrl');
  if (!url) throw new Error('The database has no connection URL.');
  return { kind: 'postgresql', url };
}

/** The migrations this code knows that the database has not applied yet (a ready server has none). */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  return (await orm.migrator.getPending()).map((migration) => migration.name);
}

/** The connection pool's use: PostgreSQL's `pg` pool, or PGlite's single in-process connection. */
export async function connectionPoolStats(orm: Orm): Promise<{ total: number; idle: number; waiting: number }> {
  const connection = orm.em.getConnection();
  if (connection instanceof PgliteConnection) return { total: 1, idle: 1, waiting: 0 };
  const pool = (await (connection as PostgreSqlConnection).getNativeClient()) as { totalCount: number; idleCount: number; waitingCount: number };
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
