import type { SessionType, TableWatch } from '@atrium/db';
import { RowCache, rowCacheKind } from './row-cache';
import type { CachedUser } from './user-row';

/** A signed-in session and its user's row as one request read them (see user-row.ts). */
export type CachedSession = CachedUser &
  Readonly<{
    type: SessionType;
    expiresAt: number;
    lastSeenAt: number;
    signInMethod: string | null;
    /** performance.now() when read from the database: the entry is read again after `ttlMs`. */
    readAt: number;
  }>;

/** Sessions, keyed by session id: dropped by a change to the session (`s:`) or to its user (`u:`). */
export class SessionCache extends RowCache<CachedSession> {
  constructor(watch: TableWatch, maxEntries?: number, ttlMs?: number) {
    super(watch, (id, entry) => [`s:${id}`, `u:${entry.userId}`], maxEntries, ttlMs);
  }
}

/** The session cache of the database behind `em` (one per ORM; forks share it). */
export const sessionCacheOf = rowCacheKind((watch) => new SessionCache(watch));
