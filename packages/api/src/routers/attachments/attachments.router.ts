import { getUser } from '@atrium/auth';
import { ROLES } from '@atrium/db';
import { z } from 'zod';
import { byIdInput, idSchema } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { deleteDraftAttachment, findOwnAttachment, shapeAttachment } from './attachments.service';
import { roleQuotas, setRoleQuota, setUserQuota, storageOf, userQuotaOverride } from './storage.service';

/** Bytes, up to a petabyte; null = no limit (or, for a user, the role's). */
const quotaBytes = z.number().int().min(0).max(2 ** 50).nullable();

export const attachmentsRouter = router({
  /** One of my attachments (its extraction status, say); another user's is NOT_FOUND. */
  get: authedProcedure.input(byIdInput).query(async ({ ctx, input }) => shapeAttachment(await findOwnAttachment(ctx.em, ctx.user, input.id))),
  /** Removes an attachment not yet sent with a message, and its stored file. */
  delete: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await deleteDraftAttachment(ctx.em, ctx.files, ctx.user, input.id);
    return { deleted: true };
  }),
  /** My storage: used, quota (null = no limit) and the largest file of each kind. */
  storage: authedProcedure.query(async ({ ctx }) => ({
    ...(await storageOf(ctx.em, ctx.user)),
    limits: {
      documentBytes: ctx.config.uploads.maxDocumentBytes,
      imageBytes: ctx.config.uploads.maxImageBytes,
      textBytes: ctx.config.uploads.maxTextBytes,
    },
  })),
  admin: router({
    quotas: adminProcedure.query(({ ctx }) => roleQuotas(ctx.em)),
    setRoleQuota: adminProcedure.input(z.object({ role: z.enum(ROLES), quotaBytes })).mutation(async ({ ctx, input }) => {
      await setRoleQuota(ctx.em, ctx.user, input.role, input.quotaBytes);
      return roleQuotas(ctx.em);
    }),
    userStorage: adminProcedure.input(z.object({ userId: idSchema })).query(async ({ ctx, input }) => {
      const user = await getUser(ctx.em, input.userId);
      return { override: await userQuotaOverride(ctx.em, user.id), ...(await storageOf(ctx.em, user)) };
    }),
    setUserQuota: adminProcedure.input(z.object({ userId: idSchema, quotaBytes })).mutation(async ({ ctx, input }) => {
      await setUserQuota(ctx.em, ctx.user, input.userId, input.quotaBytes);
      return { override: input.quotaBytes };
    }),
  }),
});
