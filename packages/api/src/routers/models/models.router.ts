import { isProviderConfigured } from '@atrium/ai';
import { recordAudit } from '@atrium/auth';
import { ConflictError, Model, NotFoundError, PROVIDERS, type IModel } from '@atrium/db';
import { z } from 'zod';
import { patchOf } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { unlockKeyInput } from '../presets/presets.schema';
import { listUsableModels } from './models.service';

/** A model as users see it: plain values, so clients' types do not name the ORM's. */
export type ModelView = {
  id: string;
  provider: IModel['provider'];
  displayName: string;
  contextWindow: number;
  supportsVision: boolean;
  supportsImageGeneration: boolean;
};

/** What admins see of a model besides: its upstream id, prices, order and who may use it. */
type AdminModelView = ModelView & {
  providerModelId: string;
  enabled: boolean;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  pricePerImage: number;
  sortOrder: number;
  requiredUnlock: string | null;
  providerConfigured: boolean;
};

const shapeModel = (model: IModel): ModelView => ({
  id: model.id,
  provider: model.provider,
  displayName: model.displayName,
  contextWindow: model.contextWindow,
  supportsVision: model.supportsVision,
  supportsImageGeneration: model.supportsImageGeneration,
});

const modelFields = z.object({
  provider: z.enum(PROVIDERS),
  providerModelId: z.string().trim().min(1).max(255),
  displayName: z.string().trim().min(1).max(255),
  enabled: z.boolean().default(true),
  contextWindow: z.number().int().min(512).max(10_000_000).default(8192),
  supportsVision: z.boolean().default(false),
  supportsImageGeneration: z.boolean().default(false),
  inputPricePerMTok: z.number().min(0).max(10_000).default(0),
  outputPricePerMTok: z.number().min(0).max(10_000).default(0),
  /** What one generated picture costs (image generation models). */
  pricePerImage: z.number().min(0).max(1_000).default(0),
  sortOrder: z.number().int().min(0).max(10_000).default(100),
  /** Only users holding this unlock key see and use the model; null: everyone whose limits allow it. */
  requiredUnlock: unlockKeyInput.default(null),
});
const modelId = z.string().trim().min(1).max(128).regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use lower-case letters, digits, dots and dashes.');

export const modelsRouter = router({
  /** The models my role may use on this server, in the admin's order. */
  list: authedProcedure.query(async ({ ctx }) => (await listUsableModels(ctx.em, ctx.user, ctx.config.providers)).map(shapeModel)),
  admin: router({
    list: adminProcedure.query(async ({ ctx }) => {
      const models = await ctx.em.find(Model, {}, { orderBy: { sortOrder: 'asc', displayName: 'asc' } });
      return models.map((model): AdminModelView => ({
        ...shapeModel(model),
        providerModelId: model.providerModelId,
        enabled: model.enabled,
        inputPricePerMTok: Number(model.inputPricePerMTok),
        outputPricePerMTok: Number(model.outputPricePerMTok),
        pricePerImage: Number(model.pricePerImage),
        sortOrder: model.sortOrder,
        requiredUnlock: model.requiredUnlock ?? null,
        providerConfigured: isProviderConfigured(model.provider, ctx.config.providers),
      }));
    }),
    create: adminProcedure.input(modelFields.extend({ id: modelId })).mutation(async ({ ctx, input }) =>
      ctx.em.transactional(async (tx) => {
        if (await tx.findOne(Model, input.id)) throw new ConflictError('A model with that id exists.');
        const model = tx.create(Model, input);
        recordAudit(tx, ctx.user.id, 'model.create', model.id, input);
        return shapeModel(model);
      }),
    ),
    update: adminProcedure.input(z.object({ id: modelId, changes: patchOf(modelFields) })).mutation(async ({ ctx, input }) =>
      ctx.em.transactional(async (tx) => {
        const model = await tx.findOne(Model, input.id);
        if (!model) throw new NotFoundError('No such model.');
        tx.assign(model, Object.fromEntries(Object.entries(input.changes).filter(([, value]) => value !== undefined)));
        recordAudit(tx, ctx.user.id, 'model.update', model.id, input.changes);
        return shapeModel(model);
      }),
    ),
    /** Deleting a model keeps history: messages copy the model id rather than reference it. */
    delete: adminProcedure.input(z.object({ id: modelId })).mutation(async ({ ctx, input }) =>
      ctx.em.transactional(async (tx) => {
        if (!(await tx.nativeDelete(Model, { id: input.id }))) throw new NotFoundError('No such model.');
        recordAudit(tx, ctx.user.id, 'model.delete', input.id);
        return { deleted: true };
      }),
    ),
  }),
});
