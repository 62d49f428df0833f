import type { Configuration } from '@mikro-orm/core';
import pg from 'pg';
import { databaseHandle, type EntityManager, type Orm } from './config';

/**
 * Tables every chat turn reads and admins rarely change: servers cache them in memory. A
 * trigger on each notifies the `atrium_platform` channel with the table's name on commit.
 */
export const WATCHED_TABLES = ['ai_identity', 'summary_settings', 'cache_settings', 'models', 'model_rate_limits', 'transparency_settings', 'memory_settings', 'api_settings'] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];
export const PLATFORM_CHANNEL = 'atrium_platform';

type Listener = (table: WatchedTable | 'all') => void;

/**
 * One cached row that changed: `s:<session id>`, `k:<API key id>` or `u:<user id>` (a user's
 * change reaches every session and key of theirs), or 'all'. Triggers on `sessions`, `api_keys`
 * and `users` send these on the same channel.
 */
export type RowKey = `s:${string}` | `k:${string}` | `u:${string}` | 'all';
type RowListener = (key: RowKey) => void;
const ROW_TABLES = ['sessions', 'api_keys', 'users'] as const;
const ROW_PAYLOAD = /^[suk]:/;

/**
 * Change signals for one database, per ORM instance: writes this process sends (seen as they
 * are sent, so its own next read is fresh at once), and once `listenForChanges` runs, every
 * commit on any replica (delivered by PostgreSQL after commit; that second signal also drops
 * whatever a reader cached between a write and its commit).
 */
export class TableWatch {
  private readonly listeners = new Set<Listener>();
  private readonly rowListeners = new Set<RowListener>();
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

  /** 'all' (the LISTEN connection came, went or stopped) reaches the row listeners too. */
  changed(table: WatchedTable | 'all') {
    for (const listener of this.listeners) listener(table);
    if (table === 'all') this.rowChanged('all');
  }

  subscribeRows(listener: RowListener) {
    this.rowListeners.add(listener);
    return () => void this.rowListeners.delete(listener);
  }

  rowChanged(key: RowKey) {
    for (const listener of this.rowListeners) listener(key);
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

const ROW_WRITE = new RegExp(`^\\s*(?:insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?)\\s+"?(${ROW_TABLES.join('|')})"?[\\s(]`, 'i');
/**
 * The session touch (`update sessions set [expires_at = ?, ]last_seen_at = ? where id = ?`, from
 * @atrium/auth's validateSessionToken): the process that sends it updates its own cached copy, so
 * seeing it drops nothing.
 */
const SESSION_TOUCH = /^update sessions set (?:expires_at = \?, )?last_seen_at = \? where id = \?$/;
/** The API key's "last used" (`validateApiKey`): the same, its process updates its own copy. */
const KEY_TOUCH = /^update api_keys set last_used_at = \?, last_used_ip = \? where id = \?$/;
const SESSION_ID = /^[0-9a-f]{64}$/;
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUOTED = /'([^']*)'/g;

/**
 * Called for every statement this process sends, with its values: a write to a watched table
 * drops the cached copy at once; a write to `sessions`, `api_keys` or `users` drops the rows it
 * names (a session id; a uuid on `api_keys`, which may be the key's or its owner's; a user id:
 * every session and key of theirs), or every row when it names none (a bulk write). A plain
 * insert changes no cached row.
 */
export function observeStatement(watch: TableWatch, sql: string, params: readonly unknown[] = []) {
  const match = WRITE.exec(sql);
  if (match) watch.changed(match[1]!.toLowerCase() as WatchedTable);
  const row = ROW_WRITE.exec(sql);
  if (!row || SESSION_TOUCH.test(sql) || KEY_TOUCH.test(sql)) return;
  if (/^\s*insert/i.test(sql) && !/\bon\s+conflict\b/i.test(sql)) return;
  const table = row[1]!.toLowerCase();
  const keys: RowKey[] = [];
  const values = [...params.flat(), ...Array.from(sql.matchAll(QUOTED), (quoted) => quoted[1])];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    if (table === 'sessions' && SESSION_ID.test(value)) keys.push(`s:${value}`);
    else if (USER_ID.test(value)) {
      if (table === 'api_keys') keys.push(`k:${value.toLowerCase()}`);
      keys.push(`u:${value.toLowerCase()}`);
    }
  }
  if (!keys.length || /^\s*truncate/i.test(sql)) watch.rowChanged('all');
  else for (const key of keys) watch.rowChanged(key);
}

/**
 * LISTENs on the change channel: PostgreSQL on a connection of its own (re-established after a
 * loss, dropping everything cached meanwhile), PGlite in-process. Returns the stop function.
 */
export async function listenForChanges(orm: Orm, heartbeat?: Heartbeat): Promise<() => Promise<void>> {
  const watch = tableWatchOf(orm);
  const stop = await listenOn(orm, PLATFORM_CHANNEL, {
    onPayload(payload) {
      if (payload && ROW_PAYLOAD.test(payload)) return watch.rowChanged(payload as RowKey);
      const table = WATCHED_TABLES.find((name) => name === payload);
      watch.changed(table ?? 'all');
    },
    // Whatever changed while nobody listened is unknown: start from the database again.
    onUp() {
      watch.changed('all');
      watch.state = 'live';
    },
    onDown() {
      watch.state = 'down';
      watch.changed('all');
    },
  }, heartbeat);
  return async () => {
    await stop();
    watch.state = 'local';
    watch.changed('all');
  };
}

export type ChannelHandlers = {
  onPayload(payload: string | undefined): void;
  /** Listening (again): notifications sent while nobody listened are lost. */
  onUp?(): void;
  /** The LISTEN connection is lost; it is re-established in the background. */
  onDown?(): void;
};

/**
 * How often the LISTEN connection is asked whether it still answers, and how long it may take.
 * A connection that dies without a word (a half-open link after a network fault or a failover)
 * raises no error: only a question it cannot answer tells. Until then its caches would serve
 * rows whose changes can no longer arrive.
 */
export type Heartbeat = { everyMs: number; timeoutMs: number };
export const DEFAULT_HEARTBEAT: Heartbeat = { everyMs: 10_000, timeoutMs: 5_000 };

/**
 * LISTENs on one channel: PostgreSQL on a connection of its own (re-established after a loss,
 * and given up as lost when it stops answering the heartbeat), PGlite in-process. Resolves
 * once listening; returns the stop function.
 */
export async function listenOn(orm: Orm, channel: string, handlers: ChannelHandlers, heartbeat: Heartbeat = DEFAULT_HEARTBEAT): Promise<() => Promise<void>> {
  // Not `clientUrl`: MikroORM gives PGlite a default one (a PostgreSQL on localhost), which is not this database.
  const handle = await databaseHandle(orm);
  if (handle.kind === 'pglite') {
    const pglite = handle.pglite as unknown as PgliteLike;
    const unlisten = await pglite.listen(channel, (payload) => handlers.onPayload(payload));
    handlers.onUp?.();
    return async () => {
      await unlisten();
    };
  }

  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** The connection whose heartbeat is still out: one question at a time. */
  let asking: pg.Client | null = null;
  const connect = async () => {
    // Named, so an operator (or a test) finds it in pg_stat_activity whatever it last asked.
    const next = new pg.Client({ connectionString: handle.url, application_name: listenerName(channel) });
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onPayload(message.payload);
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    await next.connect();
    await next.query(`listen ${channel}`);
    client = next;
    handlers.onUp?.();
  };
  /** `from` is gone; only the current connection's loss counts (an old one's late events do not). */
  const lost = (from: pg.Client) => {
    if (stopped || client !== from) return;
    client = null;
    handlers.onDown?.();
    const again = () =>
      connect().catch(() => {
        if (!stopped) retry = setTimeout(again, 1000).unref();
      });
    retry = setTimeout(again, 100).unref();
  };
  const beat = setInterval(() => {
    const current = client;
    if (!current || asking === current) return;
    asking = current;
    const silent = setTimeout(() => {
      lost(current);
      // Its question is still out: pg closes the socket rather than wait for a goodbye.
      void current.end().catch(() => undefined);
    }, heartbeat.timeoutMs);
    current.query('select 1').then(
      () => {
        clearTimeout(silent);
        if (asking === current) asking = null;
      },
      () => {
        clearTimeout(silent);
        lost(current);
      },
    );
  }, heartbeat.everyMs).unref();
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(beat);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

/** The `application_name` of the connection LISTENing on `channel`. */
export const listenerName = (channel: string) => `atrium listen ${channel}`;

type PgliteLike = { listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> };
