import { z } from 'zod';
import { checkDayRange, isoDay } from '../../schemas';

/** A period of accounting days; both ends default to the last 30 days. */
export const cacheStatsInput = z
  .object({ from: isoDay.optional(), to: isoDay.optional() })
  .superRefine(checkDayRange)
  .default({});

export const cacheSettingsInput = z.object({
  enabled: z.boolean(),
  ttlSeconds: z
    .number()
    .int()
    .min(60, 'Keep answers for at least a minute.')
    .max(90 * 86_400, 'Keep answers for at most 90 days.'),
  shared: z.boolean(),
});

export const purgeInput = z.object({ scope: z.enum(['expired', 'all']).default('expired') });
