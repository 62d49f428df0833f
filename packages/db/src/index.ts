export * from './entities';
export { asDate, asJson, boundSql, directSql, numbered, type BoundSql, type DirectSql, type Execute, type RowValue } from './bound-sql';
export { connectionPoolStats, createOrmConfig, databaseHandle, migrate, pendingMigrations, openOrm, targetFromEnv, type DatabaseTarget, type EntityManager, type Orm, type OrmOptions } from './config';
export { readDbEnv } from './env';
export { DEMO_MODEL_ID, seed, type SeedResult } from './seed';
export * from './errors';
export * from './search-fold';
export { listenForChanges, listenOn, tableWatchOf, WATCHED_TABLES, type TableWatch, type WatchedTable, type ChannelHandlers, type RowKey } from './watch';
export { raw } from '@mikro-orm/sql';
