import { z } from 'zod';
import { checkDayRange, isoDay } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { accountingPeriod } from './calendar';
import { estimatedShare } from './estimated.service';
import { myUsage, usageAnalytics, usageCsv } from './usage.service';

const analyticsInput = z
  .object({
    from: isoDay,
    to: isoDay,
    groupBy: z.enum(['day', 'model', 'role', 'user', 'channel', 'apiKey']),
    limit: z.number().int().min(1).max(1000).default(366),
  })
  .superRefine(checkDayRange);

export const usageRouter = router({
  /** What I used today and this month per model, and what remains. */
  mine: authedProcedure.query(({ ctx }) =>
    myUsage(ctx.em, ctx.user, { providers: ctx.config.providers, now: ctx.config.now(), timeZone: ctx.config.usageTimeZone }),
  ),
  admin: router({
    analytics: adminProcedure.input(analyticsInput).query(({ ctx, input }) => usageAnalytics(ctx.em, input)),
    csv: adminProcedure.input(analyticsInput).query(async ({ ctx, input }) => ({
      filename: `atrium-usage-by-${input.groupBy}-${input.from}-to-${input.to}.csv`,
      content: usageCsv(input.groupBy, await usageAnalytics(ctx.em, input)),
    })),
    /** How much of a month's cost is our estimate (default: this accounting month). */
    estimated: adminProcedure
      .input(z.object({ month: z.string().max(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM.').optional() }).default({}))
      .query(({ ctx, input }) =>
        estimatedShare(ctx.em, input.month ? `${input.month}-01` : accountingPeriod(ctx.config.now(), ctx.config.usageTimeZone).month),
      ),
  }),
});
