import { isBanActive } from './bans';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { ApiKey, type EntityManager, type IApiKey, type IUser } from '@atrium/db';
import type { Clock } from './sessions';

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

/**
 * The key and its owner behind a presented key; null when unknown, revoked, expired, or its
 * owner is banned. Checked on every request, so revoking a key or banning its owner takes effect
 * on the next call. Records when and from where the key was last used.
 */
export async function validateApiKey(em: EntityManager, key: string, options: { ip: string | null; now: Clock }) {
  if (!API_KEY_PATTERN.test(key)) return null;
  const apiKey = await em.findOne(ApiKey, { tokenHash: apiKeyHash(key) }, { populate: ['user'] });
  if (!apiKey) return null;
  const at = options.now();
  const user = apiKey.user as IUser;
  if (apiKeyState(apiKey, at) !== 'active' || isBanActive(user, at)) return null;
  const ip = options.ip?.slice(0, 64) ?? null;
  if (!apiKey.lastUsedAt || at.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_PRECISION_MS || apiKey.lastUsedIp !== ip) {
    await em.nativeUpdate(ApiKey, { id: apiKey.id }, { lastUsedAt: at, lastUsedIp: ip });
    apiKey.lastUsedAt = at;
    apiKey.lastUsedIp = ip;
  }
  return { apiKey, user };
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
