import { z } from 'zod';
import { checkDayRange, isoDay } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
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
  }),
});
