import { tableWatchOf, type EntityManager, type WatchedTable } from '@atrium/db';

/**
 * What every chat turn reads and admins rarely change (the AI identity, summary and cache
 * settings, the model catalogue, the per-role limits), held in memory per database and
 * dropped when a watched table changes: at once for this process's own writes, and on commit
 * for every replica through PostgreSQL LISTEN/NOTIFY (see @atrium/db's watch.ts). Values are
 * plain frozen objects, never entities: they outlive the request that loaded them.
 */
export type CachedPart<T> = {
  /** The tables whose change drops this value. */
  tables: readonly WatchedTable[];
  load(em: EntityManager): Promise<T>;
};

type Slot = { value: Promise<unknown> };

class PlatformCache {
  private readonly slots = new Map<CachedPart<unknown>, Slot>();

  constructor(private readonly watch: ReturnType<typeof tableWatchOf>) {
    watch.subscribe((table) => this.drop(table));
  }

  get<T>(em: EntityManager, part: CachedPart<T>): Promise<T> {
    // Without its LISTEN connection, other replicas' changes could be missed: read through.
    if (this.watch.state === 'down') return part.load(em);
    const slot = this.slots.get(part);
    if (slot) return slot.value as Promise<T>;
    const value = part.load(em);
    const entry = { value };
    this.slots.set(part, entry);
    // A failed load is not remembered.
    value.catch(() => this.slots.get(part) === entry && this.slots.delete(part));
    return value;
  }

  // A load still running when its tables change is forgotten too: it may have read the old rows.
  private drop(table: WatchedTable | 'all') {
    for (const part of this.slots.keys()) if (table === 'all' || part.tables.includes(table)) this.slots.delete(part);
  }
}

const caches = new WeakMap<object, PlatformCache>();

/** The value of `part` for the database behind `em`, loaded once and kept until its tables change. */
export function cached<T>(em: EntityManager, part: CachedPart<T>): Promise<T> {
  const watch = tableWatchOf(em);
  let cache = caches.get(watch);
  if (!cache) caches.set(watch, (cache = new PlatformCache(watch)));
  return cache.get(em, part);
}
