import { ROLES } from '@atrium/db';
import { z } from 'zod';
import { idSchema } from '../../schemas';

const key = z.string().trim().min(1, 'Name what to remember.').max(255);
const value = z.string().trim().min(1, 'Write what to remember.').max(2000);
const category = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N} _-]+$/u, 'Use letters, digits, spaces, - or _.');

export const preferenceFieldsInput = z.object({ key, value, category: category.default('general') });
export const updatePreferenceInput = z.object({
  id: idSchema,
  changes: z.object({ key: key.optional(), value: value.optional(), category: category.optional() }),
});
export const setActiveInput = z.object({ id: idSchema, isActive: z.boolean() });
export const keepSuggestionInput = z.object({
  id: idSchema,
  changes: z.object({ key: key.optional(), value: value.optional(), category: category.optional() }).default({}),
});
export const autoKeepInput = z.object({ autoKeep: z.boolean() });
export const learningSettingsInput = z.object({ learnRoles: z.array(z.enum(ROLES)).max(ROLES.length) });
