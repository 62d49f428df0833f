import type { IUserPreference, PREFERENCE_SOURCES, PreferenceStatus } from '@atrium/db';
import { byIdInput } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { loadMemorySettings, mayLearnAbout, updateMemorySettings } from './learning.service';
import {
  autoKeepInput,
  keepSuggestionInput,
  learningSettingsInput,
  preferenceFieldsInput,
  setActiveInput,
  updatePreferenceInput,
} from './preferences.schema';
import {
  createPreference,
  deletePreference,
  discardSuggestion,
  keepSuggestion,
  setAutoKeep,
  listMyPreferences,
  setPreferenceActive,
  updatePreference,
} from './preferences.service';

/** What the assistant remembers of me, as I see it: plain values, so clients' types do not name the ORM's. */
export type PreferenceView = {
  id: string;
  key: string;
  value: string;
  category: string;
  source: (typeof PREFERENCE_SOURCES)[number];
  status: PreferenceStatus;
  isActive: boolean;
  updatedAt: Date;
};

const shapePreference = (preference: IUserPreference): PreferenceView => ({
  id: preference.id,
  key: preference.key,
  value: preference.value,
  category: preference.category,
  source: preference.source,
  // `suggested`: the assistant learnt it from a conversation; unused until kept.
  status: preference.status,
  isActive: preference.isActive,
  updatedAt: preference.updatedAt,
});

/** The assistant's memory of me: what I asked it to remember; active entries reach every prompt. */
export const preferencesRouter = router({
  list: authedProcedure.query(async ({ ctx }) => (await listMyPreferences(ctx.em, ctx.user)).map(shapePreference)),
  create: authedProcedure
    .input(preferenceFieldsInput)
    .mutation(async ({ ctx, input }) => shapePreference(await createPreference(ctx.em, ctx.user, input))),
  update: authedProcedure
    .input(updatePreferenceInput)
    .mutation(async ({ ctx, input }) =>
      shapePreference(await updatePreference(ctx.em, ctx.user, input.id, input.changes)),
    ),
  setActive: authedProcedure
    .input(setActiveInput)
    .mutation(async ({ ctx, input }) =>
      shapePreference(await setPreferenceActive(ctx.em, ctx.user, input.id, input.isActive)),
    ),
  delete: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await deletePreference(ctx.em, ctx.user, input.id);
    return { deleted: true };
  }),
  /** Keep a suggestion, as it is or edited. */
  keep: authedProcedure
    .input(keepSuggestionInput)
    .mutation(async ({ ctx, input }) => shapePreference(await keepSuggestion(ctx.em, ctx.user, input.id, input.changes))),
  discard: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await discardSuggestion(ctx.em, ctx.user, input.id);
    return { discarded: true };
  }),
  /** Whether the assistant learns from my conversations (an admin's choice per role), and whether I keep what it learns at once. */
  learning: authedProcedure.query(async ({ ctx }): Promise<{ enabled: boolean; autoKeep: boolean }> => ({
    enabled: await mayLearnAbout(ctx.em, ctx.user),
    autoKeep: ctx.user.memoryAutoKeep,
  })),
  setAutoKeep: authedProcedure
    .input(autoKeepInput)
    .mutation(async ({ ctx, input }) => ({ autoKeep: await setAutoKeep(ctx.em, ctx.user, input.autoKeep) })),
  admin: router({
    /** The roles the assistant may learn about from their conversations (none by default). */
    learning: adminProcedure.query(async ({ ctx }) => ({ learnRoles: [...(await loadMemorySettings(ctx.em)).learnRoles] })),
    setLearning: adminProcedure
      .input(learningSettingsInput)
      .mutation(async ({ ctx, input }) => ({ learnRoles: [...(await updateMemorySettings(ctx.em, ctx.user, input)).learnRoles] })),
  }),
});
