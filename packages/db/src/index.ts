export * from './entities';
export { createOrmConfig, databaseHandle, migrate, openOrm, targetFromEnv, type DatabaseTarget, type EntityManager, type Orm, type OrmOptions } from './config';
export { readDbEnv } from './env';
export { DEMO_MODEL_ID, seed, type SeedResult } from './seed';
export * from './errors';
export * from './search-fold';
export { listenForChanges, tableWatchOf, WATCHED_TABLES, type TableWatch, type WatchedTable } from './watch';
export { raw } from '@mikro-orm/sql';
