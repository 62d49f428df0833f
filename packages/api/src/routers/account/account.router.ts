import { DataExport } from '@atrium/db';
import { z } from 'zod';
import { idSchema } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { eraseUserFiles } from '../attachments/attachments.service';
import { deleteAccountInput, saveChoicesInput, saveLookInput } from './account.schema';
import { saveChoices, saveLook, shapeChoices } from './choices.service';
import { deleteOwnAccount } from './account.service';
import { removeStoredFiles } from './erasure.service';
import { buildExportJob } from './export.job';
import { exportHours } from '../retention/retention.service';
import { requestExport, shapeExport } from './export.service';

export const accountRouter = router({
  /** The model, style, theme and language the apps remember for me. */
  choices: authedProcedure.query(({ ctx }) => shapeChoices(ctx.user)),
  /** Called when I pick a model or a style: my next new chat starts with them. */
  saveChoices: authedProcedure.input(saveChoicesInput).mutation(({ ctx, input }) => saveChoices(ctx.em, ctx.user, input, ctx.config.providers)),
  /** Called when I switch theme or language: every device I sign in on follows. */
  saveLook: authedProcedure.input(saveLookInput).mutation(({ ctx, input }) => saveLook(ctx.em, ctx.user, input)),
  /** Starts building "Download my data" in the background (gated by the exportData permission). */
  requestExport: authedProcedure.mutation(async ({ ctx }) => {
    const { exportRow, created } = await requestExport(ctx.em, ctx.user, ctx.user.id);
    if (created) await ctx.config.jobs.enqueue(buildExportJob, { exportId: exportRow.id });
    return shapeExport(exportRow, ctx.config.now());
  }),

  /** My exports, newest first, with their progress and until when each can be downloaded. */
  exports: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.em.find(DataExport, { user: ctx.user.id, requestedBy: null }, { orderBy: { createdAt: 'desc' }, limit: 10 });
    return rows.map((row) => shapeExport(row, ctx.config.now()));
  }),

  /** What the "Your data" page shows: whether I may export, and my latest export with its progress. */
  exportStatus: authedProcedure.query(async ({ ctx }) => {
    const latest = await ctx.em.findOne(DataExport, { user: ctx.user.id, requestedBy: null }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return {
      allowed: ctx.user.permissions?.exportData !== false,
      expiresAfterHours: await exportHours(ctx.em),
      latest: latest ? shapeExport(latest, ctx.config.now()) : null,
    };
  }),

  admin: router({
    /** An administrator exports any user's data (audited); the archive is theirs to download. */
    requestExport: adminProcedure.input(z.object({ userId: idSchema })).mutation(async ({ ctx, input }) => {
      const { exportRow, created } = await requestExport(ctx.em, ctx.user, input.userId);
      if (created) await ctx.config.jobs.enqueue(buildExportJob, { exportId: exportRow.id });
      return shapeExport(exportRow, ctx.config.now());
    }),

    /** The exports of a user's data that I made, newest first (each downloadable by me only, audited). */
    exports: adminProcedure.input(z.object({ userId: idSchema })).query(async ({ ctx, input }) => {
      const rows = await ctx.em.find(DataExport, { user: input.userId, requestedBy: ctx.user.id }, { orderBy: { createdAt: 'desc' }, limit: 10 });
      return rows.map((row) => shapeExport(row, ctx.config.now()));
    }),
  }),

  /** Erases my account and everything personal in it, after I prove it is me; signs me out. */
  delete: authedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const { storageKeys } = await deleteOwnAccount(ctx.em, ctx.user, { ...input, ip: ctx.meta.ip }, ctx.config);
    await removeStoredFiles(ctx.config.files, storageKeys);
    // Thumbnails and anything else under their prefix, too.
    await eraseUserFiles(ctx.files, ctx.user.id);
    ctx.cookies.clearSessionCookie();
    return { deleted: true };
  }),
});
