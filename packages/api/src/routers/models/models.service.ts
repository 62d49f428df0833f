import { isProviderConfigured, type ProviderSettings } from '@atrium/ai';
import { holdsUnlock, NotFoundError, ValidationError, type EntityManager, type IModel, type IUser } from '@atrium/db';
import { modelCatalog, roleLimitsFor } from '../../platform/platform.parts';

/**
 * A model is usable by a user when it is enabled, its provider is configured on this server,
 * they hold its unlock key (if it needs one), and neither their role nor their own limits set its
 * daily requests to zero. Listing and admission (chat, regenerate, the /v1 API) all go through here.
 */
export async function listUsableModels(em: EntityManager, user: IUser, providers: ProviderSettings) {
  // The catalogue and the role limits are read from memory (see platform.cache.ts).
  const [models, limitOf] = await Promise.all([modelCatalog(em), roleLimitsFor(em, user.role)]);
  return models.filter((model) => {
    if (!model.enabled || !isProviderConfigured(model.provider, providers)) return false;
    if (!holdsUnlock(user, model.requiredUnlock)) return false;
    const override = user.limits?.[model.id]?.dailyRequestLimit;
    return override !== undefined ? override !== 0 : limitOf(model.id)?.dailyRequestLimit !== 0;
  }) as IModel[];
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
