import {
  AiIdentity,
  CacheSettings,
  Model,
  SINGLETON_ID,
  SummarySettings,
  TransparencySettings,
  MemorySettings,
  ROLES,
  type EntityManager,
  type IAiIdentity,
  type IModel,
  type Role,
} from '@atrium/db';
import { cached, type CachedPart } from './platform.cache';

/** A singleton row, inserted with its column defaults if no seed ever ran (safe on any number of replicas). */
async function singleton<T extends object>(em: EntityManager, entity: typeof SummarySettings | typeof CacheSettings | typeof AiIdentity | typeof TransparencySettings | typeof MemorySettings, table: string) {
  const find = () => em.findOne(entity as typeof SummarySettings, SINGLETON_ID, { disableIdentityMap: true }) as Promise<T | null>;
  const row = await find();
  if (row) return row;
  await em.execute(`insert into ${table} (id, updated_at) values (?, ?) on conflict (id) do nothing`, [SINGLETON_ID, new Date()]);
  return (await find())!;
}

export type SummarySettingsFields = { enabled: boolean; firstThreshold: number; updateStep: number; maxMessages: number };
export type CacheSettingsFields = { enabled: boolean; ttlSeconds: number; shared: boolean };
export type IdentityFields = Pick<IAiIdentity, 'displayName' | 'developerName' | 'productFamily' | 'shortIntro' | 'forbidProviderMention' | 'revision' | 'updatedAt'>;
export type RoleLimit = { dailyRequestLimit: number | null; monthlyTokenLimit: number | null };

const summarySettingsPart: CachedPart<Readonly<SummarySettingsFields & { updatedAt: Date }>> = {
  tables: ['summary_settings'],
  async load(em) {
    const { enabled, firstThreshold, updateStep, maxMessages, updatedAt } = await singleton<SummarySettingsFields & { updatedAt: Date }>(em, SummarySettings, 'summary_settings');
    return Object.freeze({ enabled, firstThreshold, updateStep, maxMessages, updatedAt });
  },
};

const cacheSettingsPart: CachedPart<Readonly<CacheSettingsFields & { updatedAt: Date }>> = {
  tables: ['cache_settings'],
  async load(em) {
    const { enabled, ttlSeconds, shared, updatedAt } = await singleton<CacheSettingsFields & { updatedAt: Date }>(em, CacheSettings, 'cache_settings');
    return Object.freeze({ enabled, ttlSeconds, shared, updatedAt });
  },
};

export type TransparencyFields = { answerUsageRoles: Role[] };
export type MemorySettingsFields = { learnRoles: Role[] };

const memorySettingsPart: CachedPart<Readonly<MemorySettingsFields & { updatedAt: Date }>> = {
  tables: ['memory_settings'],
  async load(em) {
    const { learnRoles, updatedAt } = await singleton<MemorySettingsFields & { updatedAt: Date }>(em, MemorySettings, 'memory_settings');
    return Object.freeze({ learnRoles: Object.freeze([...learnRoles]) as Role[], updatedAt });
  },
};

const transparencyPart: CachedPart<Readonly<TransparencyFields & { updatedAt: Date }>> = {
  tables: ['transparency_settings'],
  async load(em) {
    const { answerUsageRoles, updatedAt } = await singleton<TransparencyFields & { updatedAt: Date }>(em, TransparencySettings, 'transparency_settings');
    // In the catalogue's order, and nothing that is not a role.
    return Object.freeze({ answerUsageRoles: Object.freeze(ROLES.filter((role) => answerUsageRoles.includes(role))) as Role[], updatedAt });
  },
};

const identityPart: CachedPart<Readonly<IdentityFields>> = {
  tables: ['ai_identity'],
  async load(em) {
    const row = await singleton<IAiIdentity>(em, AiIdentity, 'ai_identity');
    const { displayName, developerName, productFamily, shortIntro, forbidProviderMention, revision, updatedAt } = row;
    return Object.freeze({ displayName, developerName, productFamily, shortIntro, forbidProviderMention, revision, updatedAt });
  },
};

/** The whole catalogue in the admin's order, enabled or not. */
const catalogPart: CachedPart<readonly Readonly<IModel>[]> = {
  tables: ['models'],
  async load(em) {
    const models = await em.find(Model, {}, { orderBy: { sortOrder: 'asc', displayName: 'asc' }, disableIdentityMap: true });
    return Object.freeze(
      models.map((model) =>
        Object.freeze({
          id: model.id,
          provider: model.provider,
          providerModelId: model.providerModelId,
          displayName: model.displayName,
          enabled: model.enabled,
          contextWindow: model.contextWindow,
          supportsVision: model.supportsVision,
          supportsImageGeneration: model.supportsImageGeneration,
          inputPricePerMTok: model.inputPricePerMTok,
          outputPricePerMTok: model.outputPricePerMTok,
          pricePerImage: model.pricePerImage,
          sortOrder: model.sortOrder,
          requiredUnlock: model.requiredUnlock ?? null,
          createdAt: model.createdAt,
        } as IModel),
      ),
    );
  },
};

/** Every (model, role) limit, keyed `model\u0000role`. */
const roleLimitsPart: CachedPart<ReadonlyMap<string, RoleLimit>> = {
  tables: ['model_rate_limits', 'models'],
  async load(em) {
    const rows = await em.execute<{ model_id: string; role: Role; daily_request_limit: number | null; monthly_token_limit: string | number | null }[]>(
      'select model_id, role, daily_request_limit, monthly_token_limit from model_rate_limits',
    );
    return new Map(
      rows.map((row) => [
        `${row.model_id}\u0000${row.role}`,
        Object.freeze({
          dailyRequestLimit: row.daily_request_limit,
          monthlyTokenLimit: row.monthly_token_limit === null ? null : Number(row.monthly_token_limit),
        }),
      ]),
    );
  },
};

/**
 * Inside a transaction the caller may be reading its own uncommitted change: it reads the
 * database itself, and nothing it reads is kept.
 */
const read = <T>(em: EntityManager, part: CachedPart<T>) => (em.isInTransaction() ? part.load(em) : cached(em, part));

export const summarySettings = (em: EntityManager) => read(em, summarySettingsPart);
export const cacheSettings = (em: EntityManager) => read(em, cacheSettingsPart);
export const transparencySettings = (em: EntityManager) => read(em, transparencyPart);
/** Which roles the assistant may learn about from their conversations (none by default). */
export const memorySettings = (em: EntityManager) => read(em, memorySettingsPart);
export const aiIdentity = (em: EntityManager) => read(em, identityPart);
export const modelCatalog = (em: EntityManager) => read(em, catalogPart);
export async function roleLimit(em: EntityManager, modelId: string, role: Role): Promise<RoleLimit | null> {
  return (await read(em, roleLimitsPart)).get(`${modelId}\u0000${role}`) ?? null;
}
export async function roleLimitsFor(em: EntityManager, role: Role) {
  const limits = await read(em, roleLimitsPart);
  return (modelId: string) => limits.get(`${modelId}\u0000${role}`) ?? null;
}
