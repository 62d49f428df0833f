import { z } from 'zod';

/** Shapes shared by several routers. */
export const idSchema = z.uuid({ error: 'Not a valid id.' });
export const byIdInput = z.object({ id: idSchema });
export const pageInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});

/** Accounting days Atrium can have data for; outside them a date is a typo, not a question. */
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2199-12-31';
/** The longest period a report covers: ten years of days. */
export const MAX_RANGE_DAYS = 3660;

export const isoDay = z.iso
  .date('Use a YYYY-MM-DD date.')
  .refine((day) => day >= FIRST_DAY && day <= LAST_DAY, `Use a date between ${FIRST_DAY} and ${LAST_DAY}.`);

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** Checks a from/to pair (either end may be absent): in order, and at most MAX_RANGE_DAYS long. */
export function checkDayRange(input: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (!input.from || !input.to) return;
  if (input.from > input.to) ctx.addIssue({ code: 'custom', message: 'The start must not be after the end.', path: ['from'] });
  else if (daysBetween(input.from, input.to) >= MAX_RANGE_DAYS) {
    ctx.addIssue({ code: 'custom', message: `Choose a period of at most ${MAX_RANGE_DAYS} days.`, path: ['from'] });
  }
}

type WithoutDefault<Field> = Field extends z.ZodDefault<infer Inner> ? Inner : Field;

/**
 * A patch of `schema`: every field optional and, unlike zod's `.partial()` (which keeps each
 * field's `.default()`), without defaults, so a field a patch leaves out stays as it is instead
 * of being reset to its default.
 */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, z.optional(field instanceof z.ZodDefault ? field.unwrap() : field)]),
  );
  return z.object(shape) as unknown as z.ZodObject<{ [Key in keyof Shape]: z.ZodOptional<WithoutDefault<Shape[Key]>> }>;
}
