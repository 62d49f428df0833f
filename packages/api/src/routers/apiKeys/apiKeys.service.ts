import { apiKeyState, createApiKey, recordAudit, revokeApiKey, validateApiKey, type Clock } from '@atrium/auth';
import {
  ApiKey,
  ApiSettings,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ROLES,
  SINGLETON_ID,
  ValidationError,
  type EntityManager,
  type IApiKey,
  type IUser,
  type Role,
} from '@atrium/db';
import { cached, type CachedPart } from '../../platform/platform.cache';

export type ApiSettingsFields = { keyRoles: Role[]; applyIdentity: boolean; storeConversations: boolean };

/** More than this many live keys is a sign of keys created instead of reused; revoke one first. */
export const MAX_ACTIVE_KEYS = 20;

async function settingsRow(em: EntityManager) {
  const row = await em.findOne(ApiSettings, SINGLETON_ID);
  if (row) return row;
  await em.execute('insert into api_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [SINGLETON_ID, new Date()]);
  return em.findOneOrFail(ApiSettings, SINGLETON_ID);
}

/** Read on every API request (the key's check and the completion), so held with the platform's other settings. */
const apiSettingsPart: CachedPart<Readonly<ApiSettingsFields & { updatedAt: Date }>> = {
  tables: ['api_settings'],
  async load(em) {
    const { keyRoles, applyIdentity, storeConversations, updatedAt } = await settingsRow(em);
    return Object.freeze({ keyRoles: Object.freeze(ROLES.filter((role) => keyRoles.includes(role))) as Role[], applyIdentity, storeConversations, updatedAt });
  },
};

/** Inside a transaction the caller may be reading its own uncommitted change: read, keep nothing. */
export const loadApiSettings = (em: EntityManager) => (em.isInTransaction() ? apiSettingsPart.load(em) : cached(em, apiSettingsPart));

export async function updateApiSettings(em: EntityManager, admin: IUser, fields: ApiSettingsFields) {
  return em.transactional(async (tx) => {
    const row = await settingsRow(tx);
    const { keyRoles, applyIdentity, storeConversations } = row;
    recordAudit(tx, admin.id, 'apiSettings.update', null, { from: { keyRoles, applyIdentity, storeConversations }, to: fields });
    tx.assign(row, { ...fields, keyRoles: ROLES.filter((role) => fields.keyRoles.includes(role)) });
    await tx.flush();
    return loadApiSettings(tx);
  });
}

/** A user's own `createApiKeys` permission beats their role's default. */
export const mayUseApiKeys = (user: IUser, settings: Pick<ApiSettingsFields, 'keyRoles'>) =>
  user.permissions?.createApiKeys ?? settings.keyRoles.includes(user.role);

/**
 * The owner behind a presented key, for a request: the key must be live, its owner not banned
 * and still allowed keys (withdrawing the permission stops existing keys too). Null otherwise.
 */
export async function authenticateApiKey(em: EntityManager, key: string, options: { ip: string | null; now: Clock }) {
  const found = await validateApiKey(em, key, options);
  if (!found) return null;
  if (!mayUseApiKeys(found.user, await loadApiSettings(em))) return null;
  return found;
}

/** What a key looks like to its owner and to admins: never the hash. */
export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  state: ReturnType<typeof apiKeyState>;
};

export const shapeApiKey = (apiKey: IApiKey, now: Date): ApiKeyView => ({
  id: apiKey.id,
  name: apiKey.name,
  prefix: apiKey.prefix,
  createdAt: apiKey.createdAt,
  expiresAt: apiKey.expiresAt ?? null,
  lastUsedAt: apiKey.lastUsedAt ?? null,
  lastUsedIp: apiKey.lastUsedIp ?? null,
  revokedAt: apiKey.revokedAt ?? null,
  state: apiKeyState(apiKey, now),
});

export async function createMyApiKey(em: EntityManager, user: IUser, input: { name: string; expiresAt: Date | null }, now: Clock) {
  if (!mayUseApiKeys(user, await loadApiSettings(em))) throw new ForbiddenError('API keys are not enabled for your account.');
  const at = now();
  if (input.expiresAt && input.expiresAt.getTime() <= at.getTime()) throw new ValidationError('Choose an expiry date in the future.');
  const active = await em.count(ApiKey, { user: user.id, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: at } }] });
  if (active >= MAX_ACTIVE_KEYS) throw new ConflictError(`You already have ${MAX_ACTIVE_KEYS} active keys. Revoke one you no longer use first.`);
  const { key, apiKey } = await createApiKey(em, user, input, now);
  return { key, apiKey: shapeApiKey(apiKey, at) };
}

export async function listMyApiKeys(em: EntityManager, user: IUser, now: Date) {
  const keys = await em.find(ApiKey, { user: user.id }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return keys.map((apiKey) => shapeApiKey(apiKey, now));
}

export async function revokeMyApiKey(em: EntityManager, user: IUser, id: string, now: Clock) {
  // The ownership filter is part of the update: another user's key matches nothing.
  if (await revokeApiKey(em, id, { userId: user.id, now })) return;
  if (await em.count(ApiKey, { id, user: user.id })) return; // already revoked: nothing to do
  throw new NotFoundError('No such API key.');
}

export type AdminKeyQuery = { userId?: string | undefined; state?: 'active' | 'all' | undefined; limit: number; offset: number };

/** Every user's keys, newest first, with their owners. */
export async function listAllApiKeys(em: EntityManager, query: AdminKeyQuery, now: Date) {
  const where = {
    ...(query.userId ? { user: query.userId } : {}),
    ...(query.state === 'active' ? { revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] } : {}),
  };
  const [keys, total] = await em.findAndCount(ApiKey, where, {
    populate: ['user'],
    orderBy: { createdAt: 'desc', id: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return {
    total,
    items: keys.map((apiKey): ApiKeyView & { owner: { id: string; username: string; displayName: string; role: Role } } => {
      const owner = apiKey.user as IUser;
      return { ...shapeApiKey(apiKey, now), owner: { id: owner.id, username: owner.username, displayName: owner.displayName, role: owner.role } };
    }),
  };
}

export async function revokeAnyApiKey(em: EntityManager, admin: IUser, id: string, now: Clock) {
  await em.transactional(async (tx) => {
    const apiKey = await tx.findOne(ApiKey, id);
    if (!apiKey) throw new NotFoundError('No such API key.');
    if (await revokeApiKey(tx, id, { now })) {
      recordAudit(tx, admin.id, 'apiKey.revoke', (apiKey.user as IUser).id, { apiKey: apiKey.id, prefix: apiKey.prefix, name: apiKey.name });
    }
  });
}
