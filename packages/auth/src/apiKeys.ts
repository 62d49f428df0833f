import { isBanActive } from './bans';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { ApiKey, type EntityManager, type IApiKey, type IUser, type TableWatch } from '@atrium/db';
import { RowCache, rowCacheKind } from './row-cache';
import type { Clock } from './sessions';
import { cachedUser, userColumns, userOf, type CachedUser } from './user-row';

/**
 * Personal API keys, stored like sessions: the key goes to its owner once, its SHA-256 is
 * what the database keeps. `atr_` tells a key from a session token at a glance (and to secret
 * scanners); the first characters after it are the visible prefix.
 */
export const API_KEY_PREFIX = 'atr_';
const API_KEY_PATTERN = /^atr_[a-z2-7]{40}$/;
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
// Recording "last used" on every call would make each read a write.
const LAST_USED_PRECISION_MS = 60_000;

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);
export const apiKeyHash = (key: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(key)));

export function generateApiKey(): string {
  const bytes = new Uint8Array(25);
  crypto.getRandomValues(bytes);
  return API_KEY_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

export type NewApiKey = { name: string; expiresAt: Date | null };

/** Creates a key; the returned `key` is the only time anyone sees it. */
export async function createApiKey(em: EntityManager, user: IUser, input: NewApiKey, now: Clock) {
  const key = generateApiKey();
  const apiKey = em.create(ApiKey, {
    user,
    name: input.name,
    prefix: key.slice(0, VISIBLE_PREFIX_LENGTH),
    tokenHash: apiKeyHash(key),
    expiresAt: input.expiresAt,
    createdAt: now(),
  });
  await em.flush();
  return { key, apiKey };
}

export type ApiKeyState = 'active' | 'expired' | 'revoked';
export const apiKeyState = (apiKey: Pick<IApiKey, 'revokedAt' | 'expiresAt'>, at: Date): ApiKeyState =>
  apiKey.revokedAt ? 'revoked' : apiKey.expiresAt && apiKey.expiresAt.getTime() <= at.getTime() ? 'expired' : 'active';

/** What a request knows of its key: never the hash. */
export type ValidApiKey = Readonly<Pick<IApiKey, 'id' | 'name' | 'prefix' | 'expiresAt' | 'lastUsedAt' | 'lastUsedIp' | 'createdAt'>>;

/** A key and its owner's row as one request read them (see user-row.ts); dates as epoch milliseconds. */
type CachedApiKey = CachedUser &
  Readonly<{
    id: string;
    name: string;
    prefix: string;
    expiresAt: number | null;
    revokedAt: number | null;
    lastUsedAt: number | null;
    lastUsedIp: string | null;
    createdAt: number;
    /** performance.now() when read from the database: the entry is read again after the cache's age limit. */
    readAt: number;
  }>;

/** Presented keys, keyed by the key's SHA-256 (never the key): dropped by a change to the key (`k:`) or to its owner (`u:`). */
export class ApiKeyCache extends RowCache<CachedApiKey> {
  constructor(watch: TableWatch, maxEntries?: number, ttlMs?: number) {
    super(watch, (_hash, entry) => [`k:${entry.id}`, `u:${entry.userId}`], maxEntries, ttlMs);
  }
}

/** The API key cache of the database behind `em` (one per ORM; forks share it). */
export const apiKeyCacheOf = rowCacheKind((watch) => new ApiKeyCache(watch));

type ApiKeyRow = Record<string, unknown> & {
  atrium_key_id: string;
  atrium_key_name: string;
  atrium_key_prefix: string;
  atrium_key_expires_at: Date | string | null;
  atrium_key_revoked_at: Date | string | null;
  atrium_key_last_used_at: Date | string | null;
  atrium_key_last_used_ip: string | null;
  atrium_key_created_at: Date | string;
};

const epochOf = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());
const dateOf = (value: number | null) => (value === null ? null : new Date(value));

/** The key's row with its owner's, as the database has it now; null when there is none. One statement, as for sessions. */
async function readApiKey(em: EntityManager, hash: string, at: number): Promise<CachedApiKey | null> {
  const [row] = await em.execute<ApiKeyRow[]>(
    `select ${userColumns(em)}, k.id as atrium_key_id, k.name as atrium_key_name, k.prefix as atrium_key_prefix,
       k.expires_at as atrium_key_expires_at, k.revoked_at as atrium_key_revoked_at, k.last_used_at as atrium_key_last_used_at,
       k.last_used_ip as atrium_key_last_used_ip, k.created_at as atrium_key_created_at
     from api_keys k join users u on u.id = k.user_id where k.token_hash = ?`,
    [hash],
  );
  if (!row) return null;
  const {
    atrium_key_id: id,
    atrium_key_name: name,
    atrium_key_prefix: prefix,
    atrium_key_expires_at: expiresAt,
    atrium_key_revoked_at: revokedAt,
    atrium_key_last_used_at: lastUsedAt,
    atrium_key_last_used_ip: lastUsedIp,
    atrium_key_created_at: createdAt,
    ...columns
  } = row;
  return Object.freeze({
    ...cachedUser(columns),
    id,
    name,
    prefix,
    expiresAt: epochOf(expiresAt),
    revokedAt: epochOf(revokedAt),
    lastUsedAt: epochOf(lastUsedAt),
    lastUsedIp,
    createdAt: epochOf(createdAt)!,
    readAt: at,
  });
}

const refused = (entry: CachedApiKey, user: IUser, at: Date) => apiKeyState({ revokedAt: dateOf(entry.revokedAt), expiresAt: dateOf(entry.expiresAt) }, at) !== 'active' || isBanActive(user, at);

/**
 * The key and its owner behind a presented key; null when unknown, revoked, expired, or its
 * owner is banned. Checked on every request, so revoking a key or banning its owner takes effect
 * on the next call. Every request asks, so the answer is cached per key (as sessions are): a key
 * read within the last ten minutes whose row and owner have not changed since costs no statement. A
 * refusal is never made on the cached word alone: the row is read again first. Records when and
 * from where the key was last used, at most once a minute per address.
 */
export async function validateApiKey(
  em: EntityManager,
  key: string,
  options: { ip: string | null; now: Clock },
): Promise<{ apiKey: ValidApiKey; user: IUser; touched: Promise<unknown> } | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const hash = apiKeyHash(key);
  // Inside a transaction the row read may be this transaction's own uncommitted change: no cache.
  const cache = em.isInTransaction() ? null : apiKeyCacheOf(em);
  const at = options.now();
  let entry = cache?.get(hash);
  let user = entry && userOf(em, entry);
  if (!entry || refused(entry, user!, at)) {
    const mark = cache?.mark();
    const read = await readApiKey(em, hash, performance.now());
    if (!read || refused(read, (user = userOf(em, read)), at)) {
      cache?.delete(hash);
      return null;
    }
    entry = read;
    cache?.put(hash, entry, mark!);
  }
  const ip = options.ip?.slice(0, 64) ?? null;
  let { lastUsedAt, lastUsedIp } = entry;
  // As a session's touch (sessions.ts): written beside the request, not before it.
  let touched: Promise<unknown> = Promise.resolve();
  if (lastUsedAt === null || at.getTime() - lastUsedAt > LAST_USED_PRECISION_MS || lastUsedIp !== ip) {
    // This exact shape is the touch watch.ts lets through: this process updates its own copy.
    touched = em.execute('update api_keys set last_used_at = ?, last_used_ip = ? where id = ?', [at, ip, entry.id]);
    touched.catch(() => {}); // never an unhandled rejection, whoever holds it
    // A caller's transaction ends with its work: the write must be in it by then.
    if (em.isInTransaction()) await touched;
    ({ lastUsedAt, lastUsedIp } = { lastUsedAt: at.getTime(), lastUsedIp: ip });
    cache?.replace(hash, entry, Object.freeze({ ...entry, lastUsedAt, lastUsedIp }));
  }
  const apiKey: ValidApiKey = Object.freeze({
    id: entry.id,
    name: entry.name,
    prefix: entry.prefix,
    expiresAt: dateOf(entry.expiresAt),
    lastUsedAt: dateOf(lastUsedAt),
    lastUsedIp,
    createdAt: new Date(entry.createdAt),
  });
  return { apiKey, user: user!, touched };
}

/** Revokes a key; with `userId`, only that user's. Returns whether a key was revoked now. */
export async function revokeApiKey(em: EntityManager, id: string, options: { userId?: string; now: Clock }) {
  const revoked = await em.nativeUpdate(
    ApiKey,
    { id, revokedAt: null, ...(options.userId ? { user: options.userId } : {}) },
    { revokedAt: options.now() },
  );
  return revoked > 0;
}
