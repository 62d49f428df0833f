import { mkdirSync } from 'node:fs';
import { Migrator } from '@mikro-orm/migrations';
import type { PGlite } from '@electric-sql/pglite';
import { PgliteConnection, PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MikroORM, type Options, type SqlEntityManager } from '@mikro-orm/sql';
import { fileURLToPath } from 'node:url';
import { entities } from './entities';
import { defaultPgliteDir, readDbEnv } from './env';
import { migrationsList } from './migrations';

export type EntityManager = SqlEntityManager;
export type Orm = MikroORM;

/** Which database to open: a PostgreSQL URL, or a PGlite directory (or `memory://`). */
export type DatabaseTarget = { kind: 'postgresql'; url: string } | { kind: 'pglite'; dataDir: string };

export const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));

export function targetFromEnv(env = readDbEnv()): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: 'postgresql', url: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: defaultPgliteDir(env) };
}

export function createOrmConfig(target: DatabaseTarget, options: { debug?: boolean } = {}): Options {
  const shared = {
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    forceUtcTimezone: true,
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
    return { ...shared, driver: PostgreSqlDriver, clientUrl: target.url, pool: { min: 0, max: 10 } };
  }
  if (!target.dataDir.startsWith('memory://')) mkdirSync(target.dataDir, { recursive: true });
  return { ...shared, driver: PgliteDriver, dbName: target.dataDir };
}

export async function openOrm(target: DatabaseTarget = targetFromEnv(), options: { debug?: boolean } = {}) {
  return MikroORM.init(createOrmConfig(target, { debug: options.debug ?? readDbEnv().DB_DEBUG }));
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

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
