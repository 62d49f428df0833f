import type { IUserPreference } from '@atrium/db';
import { byIdInput } from '../../schemas';
import { authedProcedure, router } from '../../trpc';
import { preferenceFieldsInput, setActiveInput, updatePreferenceInput } from './preferences.schema';
import {
  createPreference,
  deletePreference,
  listMyPreferences,
  setPreferenceActive,
  updatePreference,
} from './preferences.service';

const shapePreference = (preference: IUserPreference) => ({
  id: preference.id,
  key: preference.key,
  value: preference.value,
  category: preference.category,
  source: preference.source,
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
});
