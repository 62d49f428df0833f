import { NotFoundError, User, type EntityManager, type IUser, type Theme } from '@atrium/db';
import type { ProviderSettings } from '@atrium/ai';
import { listUsableModels } from '../models/models.service';
import { findUsablePreset } from '../presets/presets.service';

/** What the apps remember for me: the model and style a new chat starts with, and how pages look. */
export type ChoicesView = { modelId: string | null; presetId: string | null; theme: Theme; language: string | null };

export const shapeChoices = (user: IUser): ChoicesView => ({
  modelId: user.selectedModel ?? null,
  presetId: (user.activePreset as { id: string } | null | undefined)?.id ?? null,
  theme: user.theme,
  language: user.language ?? null,
});

/**
 * Remembers the model and style I picked last. Only what I may use is kept: a model I cannot use
 * or someone else's style is NOT_FOUND, like a missing one.
 */
export async function saveChoices(
  em: EntityManager,
  user: IUser,
  input: { modelId?: string | null | undefined; presetId?: string | null | undefined },
  providers: ProviderSettings,
) {
  const changes: Record<string, unknown> = {};
  if (input.modelId !== undefined) {
    if (input.modelId !== null) {
      const usable = await listUsableModels(em, user, providers);
      if (!usable.some((model) => model.id === input.modelId)) throw new NotFoundError('That model is not available to you.');
    }
    changes.selectedModel = input.modelId;
  }
  if (input.presetId !== undefined) {
    if (input.presetId !== null) {
      const preset = await findUsablePreset(em, user, input.presetId);
      if (!preset) throw new NotFoundError('No such style.');
    }
    changes.activePreset = input.presetId;
  }
  await em.nativeUpdate(User, { id: user.id }, changes);
  return shapeChoices(await em.findOneOrFail(User, user.id, { refresh: true }));
}

/** Remembers my theme and language on the account, so another device opens the same way. */
export async function saveLook(em: EntityManager, user: IUser, input: { theme?: Theme | undefined; language?: string | null | undefined }) {
  const changes: Record<string, unknown> = {};
  if (input.theme !== undefined) changes.theme = input.theme;
  if (input.language !== undefined) changes.language = input.language;
  await em.nativeUpdate(User, { id: user.id }, changes);
  return shapeChoices(await em.findOneOrFail(User, user.id, { refresh: true }));
}
