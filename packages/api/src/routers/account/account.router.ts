import { authedProcedure, router } from '../../trpc';
import { deleteAccountInput } from './account.schema';
import { deleteOwnAccount } from './account.service';

export const accountRouter = router({
  /** Erases my account and everything personal in it, after I prove it is me; signs me out. */
  delete: authedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    await deleteOwnAccount(ctx.em, ctx.user, { ...input, ip: ctx.meta.ip }, ctx.config);
    ctx.cookies.clearSessionCookie();
    return { deleted: true };
  }),
});
