import { isProviderConfigured, type ProviderSettings } from '@atrium/ai';
import { Model, ModelRateLimit, NotFoundError, ValidationError, type EntityManager, type IModel, type IUser } from '@atrium/db';

/**
 * A model is usable by a user when it is enabled, its provider is configured on this server,
 * and neither their role nor their own limits set its daily requests to zero.
 */
export async function listUsableModels(em: EntityManager, user: IUser, providers: ProviderSettings) {
  const models = await em.find(Model, { enabled: true }, { orderBy: { sortOrder: 'asc', displayName: 'asc' } });
  const blocked = new Set(
    (await em.find(ModelRateLimit, { role: user.role, dailyRequestLimit: 0 })).map((limit) => (limit.model as { id: string }).id),
  );
  return models.filter((model) => {
    if (!isProviderConfigured(model.provider, providers)) return false;
    const override = user.limits?.[model.id]?.dailyRequestLimit;
    return override !== undefined ? override !== 0 : !blocked.has(model.id);
  });
}

/** The model a turn uses: the one asked for, else the conversation's, the user's, or the first usable. */
export async function resolveModel(
  em: EntityManager,
  user: IUser,
  providers: ProviderSettings,
  preferred: (string | null | undefined)[],
): Promise<IModel> {
  const usable = await listUsableModels(em, user, providers);
  const explicit = preferred[0];
  if (explicit) {
    const model = usable.find((candidate) => candidate.id === explicit);
    if (!model) throw new NotFoundError('That model is not available to you.');
    return model;
  }
  for (const id of preferred.slice(1)) {
    const model = id ? usable.find((candidate) => candidate.id === id) : undefined;
    if (model) return model;
  }
  if (!usable[0]) throw new ValidationError('No model is available right now. Ask an administrator to enable one.');
  return usable[0];
}
