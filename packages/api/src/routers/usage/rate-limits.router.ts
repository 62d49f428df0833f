import { recordAudit } from '@atrium/auth';
import { Model, ModelRateLimit, NotFoundError, ROLES } from '@atrium/db';
import { z } from 'zod';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { listUsableModels } from '../models/models.service';
import { effectiveLimits } from './limits.service';

const limitValue = z.number().int().min(0).max(10_000_000_000).nullable();

/** A model's row of the limits matrix: its limits per role (null: unlimited). */
type MatrixRow = {
  modelId: string;
  displayName: string;
  enabled: boolean;
  roles: Record<(typeof ROLES)[number], { dailyRequestLimit: number | null; monthlyTokenLimit: number | null }>;
};

export const rateLimitsRouter = router({
  /** My effective limits per usable model (role limits with my overrides applied). */
  mine: authedProcedure.query(async ({ ctx }) => {
    const models = await listUsableModels(ctx.em, ctx.user, ctx.config.providers);
    return Promise.all(
      models.map(async (model) => ({ modelId: model.id, displayName: model.displayName, ...(await effectiveLimits(ctx.em, ctx.user, model.id)) })),
    );
  }),
  admin: router({
    /** The (model × role) matrix; a missing cell means unlimited. */
    matrix: adminProcedure.query(async ({ ctx }) => {
      const [models, limits] = await Promise.all([
        ctx.em.find(Model, {}, { orderBy: { sortOrder: 'asc', displayName: 'asc' } }),
        ctx.em.find(ModelRateLimit, {}),
      ]);
      return models.map((model): MatrixRow => ({
        modelId: model.id,
        displayName: model.displayName,
        enabled: model.enabled,
        roles: Object.fromEntries(
          ROLES.map((role) => {
            const cell = limits.find((limit) => (limit.model as { id: string }).id === model.id && limit.role === role);
            return [role, { dailyRequestLimit: cell?.dailyRequestLimit ?? null, monthlyTokenLimit: cell?.monthlyTokenLimit ?? null }];
          }),
        ) as MatrixRow['roles'],
      }));
    }),
    set: adminProcedure
      .input(z.object({ modelId: z.string().min(1).max(128), role: z.enum(ROLES), dailyRequestLimit: limitValue, monthlyTokenLimit: limitValue }))
      .mutation(async ({ ctx, input }) =>
        ctx.em.transactional(async (tx) => {
          if (!(await tx.findOne(Model, input.modelId))) throw new NotFoundError('No such model.');
          const existing = await tx.findOne(ModelRateLimit, { model: input.modelId, role: input.role });
          const limit = existing ?? tx.create(ModelRateLimit, { model: input.modelId, role: input.role });
          const before = { dailyRequestLimit: limit.dailyRequestLimit ?? null, monthlyTokenLimit: limit.monthlyTokenLimit ?? null };
          limit.dailyRequestLimit = input.dailyRequestLimit;
          limit.monthlyTokenLimit = input.monthlyTokenLimit;
          recordAudit(tx, ctx.user.id, 'rateLimit.set', `${input.modelId}:${input.role}`, { from: before, to: input });
          return { modelId: input.modelId, role: input.role, dailyRequestLimit: input.dailyRequestLimit, monthlyTokenLimit: input.monthlyTokenLimit };
        }),
      ),
  }),
});
