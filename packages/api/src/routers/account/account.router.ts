import { DataExport } from '@atrium/db';
import { z } from 'zod';
import { idSchema } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { deleteAccountInput } from './account.schema';
import { deleteOwnAccount } from './account.service';
import { removeStoredFiles } from './erasure.service';
import { buildExportJob } from './export.job';
import { requestExport, shapeExport } from './export.service';

export const accountRouter = router({
  /** Starts building "Download my data" in the background (gated by the exportData permission). */
  requestExport: authedProcedure.mutation(async ({ ctx }) => {
    const { exportRow, created } = await requestExport(ctx.em, ctx.user, ctx.user.id);
    if (created) await ctx.config.jobs.enqueue(buildExportJob, { exportId: exportRow.id });
    return shapeExport(exportRow, ctx.config.now());
  }),

  /** My exports, newest first, with their progress and until when each can be downloaded. */
  exports: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.em.find(DataExport, { user: ctx.user.id }, { orderBy: { createdAt: 'desc' }, limit: 10 });
    return rows.map((row) => shapeExport(row, ctx.config.now()));
  }),

  admin: router({
    /** An administrator exports any user's data (audited); the archive is theirs to download. */
    requestExport: adminProcedure.input(z.object({ userId: idSchema })).mutation(async ({ ctx, input }) => {
      const { exportRow, created } = await requestExport(ctx.em, ctx.user, input.userId);
      if (created) await ctx.config.jobs.enqueue(buildExportJob, { exportId: exportRow.id });
      return shapeExport(exportRow, ctx.config.now());
    }),
  }),

  /** Erases my account and everything personal in it, after I prove it is me; signs me out. */
  delete: authedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const { storageKeys } = await deleteOwnAccount(ctx.em, ctx.user, { ...input, ip: ctx.meta.ip }, ctx.config);
    await removeStoredFiles(ctx.config.files, storageKeys);
    ctx.cookies.clearSessionCookie();
    return { deleted: true };
  }),
});
