import { z } from 'zod';

const isoDate = z.iso.date('Use a YYYY-MM-DD date.');

/** A period of accounting days; both ends default to the last 30 days. */
export const cacheStatsInput = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((input) => !input.from || !input.to || input.from <= input.to, {
    message: 'The start must not be after the end.',
    path: ['from'],
  })
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
