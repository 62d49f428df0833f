import { ROLES } from '@atrium/db';
import { z } from 'zod';
import { checkDayRange, isoDay } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { accountingPeriod } from './calendar';
import { estimatedShare } from './estimated.service';
import { answerUsageVisible, loadTransparencySettings, updateTransparencySettings } from './transparency.service';
import { myMonth, myUsage, usageAnalytics, usageCsv } from './usage.service';

const monthInput = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM.')
  .refine((month) => month >= '2000-01' && month <= '2199-12', 'Use a month between 2000-01 and 2199-12.');

const analyticsInput = z
  .object({
    from: isoDay,
    to: isoDay,
    groupBy: z.enum(['day', 'model', 'provider', 'role', 'user', 'channel', 'apiKey']),
    limit: z.number().int().min(1).max(1000).default(366),
  })
  .superRefine(checkDayRange);

export const usageRouter = router({
  /** What I used today and this month per model, and what remains. */
  mine: authedProcedure.query(({ ctx }) =>
    myUsage(ctx.em, ctx.user, { providers: ctx.config.providers, now: ctx.config.now(), timeZone: ctx.config.usageTimeZone }),
  ),
  /** My requests and tokens per day and model over a month (default: this one), with what remains and when it resets. */
  month: authedProcedure.input(z.object({ month: monthInput.optional() }).default({})).query(async ({ ctx, input }) =>
    myMonth(ctx.em, ctx.user, {
      providers: ctx.config.providers,
      now: ctx.config.now(),
      timeZone: ctx.config.usageTimeZone,
      month: input.month,
      showCost: await answerUsageVisible(ctx.em, ctx.user),
    }),
  ),
  admin: router({
    /** Which roles see tokens and cost under each answer (a user's `seeAnswerUsage` permission beats it). */
    transparency: adminProcedure.query(({ ctx }) => loadTransparencySettings(ctx.em)),
    updateTransparency: adminProcedure
      .input(z.object({ answerUsageRoles: z.array(z.enum(ROLES)).max(ROLES.length) }))
      .mutation(({ ctx, input }) => updateTransparencySettings(ctx.em, ctx.user, input)),
    analytics: adminProcedure.input(analyticsInput).query(({ ctx, input }) => usageAnalytics(ctx.em, input)),
    csv: adminProcedure.input(analyticsInput).query(async ({ ctx, input }) => ({
      filename: `atrium-usage-by-${input.groupBy}-${input.from}-to-${input.to}.csv`,
      content: usageCsv(input.groupBy, await usageAnalytics(ctx.em, input)),
    })),
    /** How much of a month's cost is our estimate (default: this accounting month). */
    estimated: adminProcedure
      .input(z.object({ month: monthInput.optional() }).default({}))
      .query(({ ctx, input }) =>
        estimatedShare(ctx.em, input.month ? `${input.month}-01` : accountingPeriod(ctx.config.now(), ctx.config.usageTimeZone).month),
      ),
  }),
});
