import { randomBytes } from 'node:crypto';
import type { EntityManager } from './config';
import { AiIdentity, CacheSettings, Model, RetentionSettings, ModelRateLimit, SINGLETON_ID, StorageQuota, SummarySettings, User, type Role } from './entities';

export const DEMO_MODEL_ID = 'demo';

/** The catalogue a fresh install starts with: the offline Demo model and common hosted ones, which users see once their provider key is set. */
const seedModels = [
  { id: DEMO_MODEL_ID, provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Demo (offline)', enabled: true, contextWindow: 8192, sortOrder: 0 },
  { id: 'groq-llama-3.3-70b', provider: 'groq', providerModelId: 'llama-3.3-70b-versatile', displayName: 'Llama 3.3 70B (Groq)', contextWindow: 131072, inputPricePerMTok: 0.59, outputPricePerMTok: 0.79, sortOrder: 10 },
  { id: 'groq-llama-3.1-8b', provider: 'groq', providerModelId: 'llama-3.1-8b-instant', displayName: 'Llama 3.1 8B (Groq)', contextWindow: 131072, inputPricePerMTok: 0.05, outputPricePerMTok: 0.08, sortOrder: 11 },
  { id: 'openai-gpt-4.1-mini', provider: 'openai', providerModelId: 'gpt-4.1-mini', displayName: 'GPT-4.1 mini (OpenAI)', contextWindow: 1047576, supportsVision: true, inputPricePerMTok: 0.4, outputPricePerMTok: 1.6, sortOrder: 20 },
] as const;

/** Default per-role limits: generous for staff, modest for students, none for admins. */
const defaultLimits: Record<Role, { dailyRequestLimit: number | null; monthlyTokenLimit: number | null }> = {
  student: { dailyRequestLimit: 100, monthlyTokenLimit: 2_000_000 },
  staff: { dailyRequestLimit: 500, monthlyTokenLimit: 10_000_000 },
  admin: { dailyRequestLimit: null, monthlyTokenLimit: null },
};

const MiB = 1024 * 1024;
/** Default file storage per user, by role; admins change these in the admin app. */
const defaultStorageQuotas: Record<Role, number | null> = { student: 100 * MiB, staff: 1024 * MiB, admin: null };

export type SeedResult = { admin: { username: string; password?: string; created: boolean } };

/**
 * Idempotent: running it again changes nothing that exists. The first admin's password is
 * generated here and returned once; only its hash is stored.
 */
export async function seed(
  em: EntityManager,
  options: { hashPassword(plain: string): Promise<string>; adminUsername?: string; adminPassword?: string },
): Promise<SeedResult> {
  return em.transactional(async (tx) => {
    if (!(await tx.findOne(AiIdentity, SINGLETON_ID))) tx.create(AiIdentity, { id: SINGLETON_ID });
    if (!(await tx.findOne(SummarySettings, SINGLETON_ID))) tx.create(SummarySettings, { id: SINGLETON_ID });
    if (!(await tx.findOne(CacheSettings, SINGLETON_ID))) tx.create(CacheSettings, { id: SINGLETON_ID });
    if (!(await tx.findOne(RetentionSettings, SINGLETON_ID))) tx.create(RetentionSettings, { id: SINGLETON_ID });

    for (const [role, quotaBytes] of Object.entries(defaultStorageQuotas)) {
      if (!(await tx.findOne(StorageQuota, role as Role))) tx.create(StorageQuota, { role: role as Role, quotaBytes });
    }

    for (const model of seedModels) {
      if (await tx.findOne(Model, model.id)) continue;
      const created = tx.create(Model, model);
      for (const [role, limits] of Object.entries(defaultLimits)) {
        tx.create(ModelRateLimit, { model: created, role: role as Role, ...limits });
      }
    }

    const username = options.adminUsername ?? 'admin';
    const existing = await tx.findOne(User, { role: 'admin' });
    if (existing) return { admin: { username: existing.username, created: false } };

    const password = options.adminPassword ?? randomBytes(12).toString('base64url');
    tx.create(User, {
      username,
      displayName: 'Administrator',
      role: 'admin',
      authSource: 'local',
      passwordHash: await options.hashPassword(password),
    });
    return { admin: { username, password, created: true } };
  });
}
