import { adminProcedure, router } from '../../trpc';
import { retentionSettingsInput } from './retention.schema';
import { loadRetention, updateRetention } from './retention.service';

export const retentionRouter = router({
  admin: router({
    /** The periods, when the job runs next and what its last run removed. */
    get: adminProcedure.query(({ ctx }) => loadRetention(ctx.em, ctx.config.now())),
    /** Sets the periods (audited). */
    update: adminProcedure.input(retentionSettingsInput).mutation(({ ctx, input }) => updateRetention(ctx.em, ctx.user, input, ctx.config.now())),
  }),
});
