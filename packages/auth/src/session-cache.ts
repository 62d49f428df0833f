import { tableWatchOf, type EntityManager, type RowKey, type SessionType, type TableWatch } from '@atrium/db';

/**
 * A signed-in session and its user's row as one request read them: plain frozen data, never an
 * entity (it outlives the request). JSON columns are kept as text and parsed per request, so no
 * two requests share a mutable object. Dates are the driver's strings, as `em.map` takes them.
 */
export type CachedSession = Readonly<{
  userId: string;
  type: SessionType;
  expiresAt: number;
  lastSeenAt: number;
  signInMethod: string | null;
  columns: Readonly<Record<string, unknown>>;
  jsonColumns: readonly string[];
  /** performance.now() when read from the database: the entry is read again after `ttlMs`. */
  readAt: number;
}>;

/**
 * The sessions this process has seen lately, per database, dropped row by row: at once for this
 * process's own writes (watch.ts sees every statement sent), and when the commit's notification
 * lands for every replica's (triggers on `sessions` and `users`). While the LISTEN connection is
 * down another replica's change could be missed, so nothing is served from here then. Bounded by
 * count (least recently used goes first) and by age (`ttlMs`, a safety net, not the invalidation).
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Moves on every drop: a read that began before one may hold the old row and is not kept. */
  private epoch = 0;

  constructor(
    private readonly watch: TableWatch,
    readonly maxEntries = 10_000,
    readonly ttlMs = 60_000,
  ) {
    watch.subscribeRows((key) => this.drop(key));
  }

  get size() {
    return this.entries.size;
  }

  get(id: string): CachedSession | undefined {
    if (this.watch.state === 'down') return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (performance.now() - entry.readAt > this.ttlMs) {
      this.delete(id);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  /** Taken before reading the row; `put` keeps the row only if nothing was dropped meanwhile. */
  mark() {
    return this.epoch;
  }

  put(id: string, entry: CachedSession, mark: number) {
    if (this.watch.state === 'down' || mark !== this.epoch) return;
    this.delete(id);
    this.entries.set(id, entry);
    let sessions = this.byUser.get(entry.userId);
    if (!sessions) this.byUser.set(entry.userId, (sessions = new Set()));
    sessions.add(id);
    if (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value!);
    // Sessions nobody used for longer than the age limit go from the front, a few per put, so
    // dead entries do not sit in memory until the size limit pushes them out.
    for (let i = 0; i < 4; i++) {
      const [oldest, first] = this.entries.entries().next().value ?? [];
      if (!first || performance.now() - first.readAt <= this.ttlMs) break;
      this.delete(oldest!);
    }
  }

  /** This process's own touch of `previous`: the copy follows, unless it was dropped meanwhile. */
  replace(id: string, previous: CachedSession, next: CachedSession) {
    if (this.entries.get(id) === previous) this.entries.set(id, next);
  }

  delete(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const sessions = this.byUser.get(entry.userId);
    sessions?.delete(id);
    if (sessions?.size === 0) this.byUser.delete(entry.userId);
  }

  private drop(key: RowKey) {
    this.epoch++;
    if (key === 'all') {
      this.entries.clear();
      this.byUser.clear();
    } else if (key.startsWith('s:')) this.delete(key.slice(2));
    else for (const id of [...(this.byUser.get(key.slice(2)) ?? [])]) this.delete(id);
  }
}

const caches = new WeakMap<TableWatch, SessionCache>();

/** The session cache of the database behind `em` (one per ORM; forks share it). */
export function sessionCacheOf(em: EntityManager): SessionCache {
  const watch = tableWatchOf(em);
  let cache = caches.get(watch);
  if (!cache) caches.set(watch, (cache = new SessionCache(watch)));
  return cache;
}
