import type { IPreset } from '@atrium/db';
import { z } from 'zod';
import { byIdInput, idSchema } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { globalPresetFieldsInput, globalPresetPatchInput, presetFieldsInput, presetPatchInput } from './presets.schema';
import {
  createGlobalPreset,
  createOwnPreset,
  deleteGlobalPreset,
  deleteOwnPreset,
  listGlobalPresets,
  listUsablePresets,
  updateGlobalPreset,
  updateOwnPreset,
  type PresetFields,
} from './presets.service';

/** A style as clients see it: plain values, so clients' types do not name the ORM's. */
export type PresetView = { id: string } & Omit<PresetFields, 'requiredUnlock'> & { isGlobal: boolean; updatedAt: Date };

export const shapePreset = (preset: IPreset): PresetView => ({
  id: preset.id,
  name: preset.name,
  description: preset.description ?? null,
  systemPromptTemplate: preset.systemPromptTemplate,
  temperature: preset.temperature == null ? null : Number(preset.temperature),
  maxTokens: preset.maxTokens ?? null,
  modelId: (preset.model as { id: string } | null | undefined)?.id ?? null,
  isGlobal: preset.isGlobal,
  updatedAt: preset.updatedAt,
});

const patchInput = z.object({ id: idSchema, changes: presetPatchInput });
const globalPatchInput = z.object({ id: idSchema, changes: globalPresetPatchInput });

/** What admins see of a global preset: also who may use it. */
const shapeGlobalPreset = (preset: IPreset) => ({ ...shapePreset(preset), requiredUnlock: preset.requiredUnlock ?? null });

export const presetsRouter = router({
  /** Global presets and my own custom styles. */
  list: authedProcedure.query(async ({ ctx }) => (await listUsablePresets(ctx.em, ctx.user)).map(shapePreset)),
  create: authedProcedure.input(presetFieldsInput).mutation(async ({ ctx, input }) => shapePreset(await createOwnPreset(ctx.em, ctx.user, input))),
  update: authedProcedure
    .input(patchInput)
    .mutation(async ({ ctx, input }) => shapePreset(await updateOwnPreset(ctx.em, ctx.user, input.id, input.changes))),
  delete: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await deleteOwnPreset(ctx.em, ctx.user, input.id);
    return { deleted: true };
  }),
  admin: router({
    list: adminProcedure.query(async ({ ctx }) => (await listGlobalPresets(ctx.em)).map(shapeGlobalPreset)),
    create: adminProcedure
      .input(globalPresetFieldsInput)
      .mutation(async ({ ctx, input }) => shapeGlobalPreset(await createGlobalPreset(ctx.em, ctx.user, input))),
    update: adminProcedure
      .input(globalPatchInput)
      .mutation(async ({ ctx, input }) => shapeGlobalPreset(await updateGlobalPreset(ctx.em, ctx.user, input.id, input.changes))),
    delete: adminProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
      await deleteGlobalPreset(ctx.em, ctx.user, input.id);
      return { deleted: true };
    }),
  }),
});
