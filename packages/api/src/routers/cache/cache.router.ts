import { adminProcedure, router } from '../../trpc';
import { accountingPeriod } from '../usage/calendar';
import { cacheSettingsInput, cacheStatsInput, purgeInput } from './cache.schema';
import { cacheStats, loadCacheSettings, purgeCache, updateCacheSettings } from './cache.service';

const DAY_MS = 86_400_000;
const shiftDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The answer cache is the administrators' business only. */
export const cacheRouter = router({
  stats: adminProcedure.input(cacheStatsInput).query(({ ctx, input }) => {
    const now = ctx.config.now();
    const to = input.to ?? accountingPeriod(now, ctx.config.usageTimeZone).day;
    const from = input.from ?? shiftDays(to, -29);
    return cacheStats(ctx.em, { from, to }, now);
  }),
  settings: adminProcedure.query(({ ctx }) => loadCacheSettings(ctx.em)),
  updateSettings: adminProcedure
    .input(cacheSettingsInput)
    .mutation(({ ctx, input }) => updateCacheSettings(ctx.em, ctx.user, input)),
  /** Deletes expired entries, or every entry; audited. */
  purge: adminProcedure
    .input(purgeInput)
    .mutation(({ ctx, input }) => purgeCache(ctx.em, ctx.user, input.scope, ctx.config.now())),
});
