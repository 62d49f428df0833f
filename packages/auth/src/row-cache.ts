import { tableWatchOf, type EntityManager, type RowKey, type TableWatch } from '@atrium/db';

/** What every cached row carries: when it was read (performance.now()), for the age limit. */
export type CachedRow = Readonly<{ readAt: number }>;

/**
 * Rows this process has read lately (a session, an API key, each with its user's row), per
 * database, dropped row by row: at once for this process's own writes (watch.ts sees every
 * statement sent), and when the commit's notification lands for every replica's (triggers on
 * `sessions`, `api_keys` and `users`). `rowsOf` names the rows an entry was read from: a change
 * to any of them drops it. While the LISTEN connection is down another replica's change could
 * be missed, so nothing is served from here then (a connection that dies silently is found by
 * its heartbeat, watch.ts). Bounded by count (least recently used goes first) and by age
 * (`ttlMs`, a safety net, not the invalidation: ten minutes, so a student who reads an answer
 * for a few minutes asks the next question without a session read in front of it).
 */
export class RowCache<T extends CachedRow> {
  private readonly entries = new Map<string, T>();
  private readonly byRow = new Map<RowKey, Set<string>>();
  /** Moves on every drop: a read that began before one may hold the old row and is not kept. */
  private epoch = 0;

  constructor(
    private readonly watch: TableWatch,
    private readonly rowsOf: (id: string, entry: T) => readonly RowKey[],
    readonly maxEntries = 10_000,
    readonly ttlMs = 10 * 60_000,
  ) {
    watch.subscribeRows((key) => this.drop(key));
  }

  get size() {
    return this.entries.size;
  }

  get(id: string): T | undefined {
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

  put(id: string, entry: T, mark: number) {
    if (this.watch.state === 'down' || mark !== this.epoch) return;
    this.delete(id);
    this.entries.set(id, entry);
    for (const row of this.rowsOf(id, entry)) {
      let ids = this.byRow.get(row);
      if (!ids) this.byRow.set(row, (ids = new Set()));
      ids.add(id);
    }
    if (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value!);
    // Entries nobody used for longer than the age limit go from the front, a few per put, so
    // dead entries do not sit in memory until the size limit pushes them out.
    for (let i = 0; i < 4; i++) {
      const [oldest, first] = this.entries.entries().next().value ?? [];
      if (!first || performance.now() - first.readAt <= this.ttlMs) break;
      this.delete(oldest!);
    }
  }

  /**
   * This process's own bookkeeping write on `previous` (a touch): the copy follows, unless it was
   * dropped meanwhile. `next` must name the same rows.
   */
  replace(id: string, previous: T, next: T) {
    if (this.entries.get(id) === previous) this.entries.set(id, next);
  }

  delete(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const row of this.rowsOf(id, entry)) {
      const ids = this.byRow.get(row);
      ids?.delete(id);
      if (ids?.size === 0) this.byRow.delete(row);
    }
  }

  private drop(key: RowKey) {
    this.epoch++;
    if (key === 'all') {
      this.entries.clear();
      this.byRow.clear();
    } else for (const id of [...(this.byRow.get(key) ?? [])]) this.delete(id);
  }
}

/** One cache of each kind per database (per ORM; forks share it). */
export function rowCacheKind<T extends CachedRow>(make: (watch: TableWatch) => RowCache<T>) {
  const caches = new WeakMap<TableWatch, RowCache<T>>();
  return (em: EntityManager): RowCache<T> => {
    const watch = tableWatchOf(em);
    let cache = caches.get(watch);
    if (!cache) caches.set(watch, (cache = make(watch)));
    return cache;
  };
}
