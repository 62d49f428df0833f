import type { Configuration } from '@mikro-orm/core';
import pg from 'pg';
import type { EntityManager, Orm } from './config';

/**
 * Tables every chat turn reads and admins rarely change: servers cache them in memory. A
 * trigger on each notifies the `atrium_platform` channel with the table's name on commit.
 */
export const WATCHED_TABLES = ['ai_identity', 'summary_settings', 'cache_settings', 'models', 'model_rate_limits'] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];
export const PLATFORM_CHANNEL = 'atrium_platform';

type Listener = (table: WatchedTable | 'all') => void;

/**
 * Change signals for one database, per ORM instance: writes this process sends (seen as they
 * are sent, so its own next read is fresh at once), and once `listenForChanges` runs, every
 * commit on any replica (delivered by PostgreSQL after commit; that second signal also drops
 * whatever a reader cached between a write and its commit).
 */
export class TableWatch {
  private readonly listeners = new Set<Listener>();
  /**
   * 'local': only this process's writes are seen (tests, scripts: nobody else writes);
   * 'live': LISTENing, every replica's commits arrive; 'down': the LISTEN connection is lost,
   * so other replicas' changes may be missed and a cache must read through until it is back.
   */
  state: 'local' | 'live' | 'down' = 'local';

  subscribe(listener: Listener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  changed(table: WatchedTable | 'all') {
    for (const listener of this.listeners) listener(table);
  }
}

const watches = new WeakMap<Configuration, TableWatch>();

/** The watch of the database behind an EntityManager (forks share it). */
export function tableWatchOf(em: EntityManager | Orm): TableWatch {
  const config = em.config as Configuration;
  let watch = watches.get(config);
  if (!watch) watches.set(config, (watch = new TableWatch()));
  return watch;
}

/** Ties a watch made before the ORM existed (its logger holds it) to the ORM's configuration. */
export function attachTableWatch(orm: Orm, watch: TableWatch) {
  watches.set(orm.config as Configuration, watch);
}

const WRITE = new RegExp(`^\\s*(?:insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?)\\s+"?(${WATCHED_TABLES.join('|')})"?[\\s(]`, 'i');

/** Called for every statement this process sends: a write to a watched table drops the cached copy at once. */
export function observeStatement(watch: TableWatch, sql: string) {
  const match = WRITE.exec(sql);
  if (match) watch.changed(match[1]!.toLowerCase() as WatchedTable);
}

/**
 * LISTENs on the change channel: PostgreSQL on a connection of its own (re-established after a
 * loss, dropping everything cached meanwhile), PGlite in-process. Returns the stop function.
 */
export async function listenForChanges(orm: Orm): Promise<() => Promise<void>> {
  const watch = tableWatchOf(orm);
  const onPayload = (payload: string | undefined) => {
    const table = WATCHED_TABLES.find((name) => name === payload);
    watch.changed(table ?? 'all');
  };
  const clientUrl = orm.config.get('clientUrl');
  if (!clientUrl) {
    const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<PgliteLike> };
    const pglite = await connection.getNativeClient();
    const unlisten = await pglite.listen(PLATFORM_CHANNEL, onPayload);
    watch.state = 'live';
    return async () => {
      watch.state = 'local';
      watch.changed('all');
      await unlisten();
    };
  }

  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    const next = new pg.Client({ connectionString: clientUrl });
    next.on('notification', (message) => onPayload(message.payload));
    next.on('error', () => lost());
    next.on('end', () => lost());
    await next.connect();
    await next.query(`listen ${PLATFORM_CHANNEL}`);
    client = next;
    // Whatever changed while nobody listened is unknown: start from the database again.
    watch.changed('all');
    watch.state = 'live';
  };
  const lost = () => {
    if (stopped || !client) return;
    client = null;
    watch.state = 'down';
    watch.changed('all');
    const again = () =>
      connect().catch(() => {
        if (!stopped) retry = setTimeout(again, 1000).unref();
      });
    retry = setTimeout(again, 100).unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    watch.state = 'local';
    watch.changed('all');
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

type PgliteLike = { listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> };
