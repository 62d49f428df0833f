import { adminProcedure, authedProcedure, publicProcedure, router } from '../../trpc';
import { byShareIdInput, createShareInput, listSharesInput, shareSettingsInput } from './shares.schema';
import { createShare, listMyShares, loadShareSettings, openShare, revokeShare, updateShareSettings } from './shares.service';

export const sharesRouter = router({
  /** A read-only link to the branch I am viewing, as it is now. */
  create: authedProcedure.input(createShareInput).mutation(({ ctx, input }) => createShare(ctx.em, ctx.user, input, ctx.config.now())),
  /** My links (of one chat, or all), and whether public links are allowed at all. */
  mine: authedProcedure.input(listSharesInput).query(({ ctx, input }) => listMyShares(ctx.em, ctx.user, input.conversationId)),
  revoke: authedProcedure.input(byShareIdInput).mutation(async ({ ctx, input }) => {
    await revokeShare(ctx.em, ctx.user, input.id, ctx.config.now());
    return { revoked: true };
  }),
  /** The snapshot behind a link: signed-in members, or anybody for a public link while those are allowed. */
  open: publicProcedure.input(byShareIdInput).query(({ ctx, input }) => openShare(ctx.em, ctx.user, input.id, ctx.config.now())),
  admin: router({
    settings: adminProcedure.query(({ ctx }) => loadShareSettings(ctx.em)),
    updateSettings: adminProcedure.input(shareSettingsInput).mutation(({ ctx, input }) => updateShareSettings(ctx.em, ctx.user, input)),
  }),
});
