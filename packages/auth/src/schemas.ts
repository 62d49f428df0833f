import { z } from 'zod';

/** A password people can type and we can hash: long enough to matter, bounded to keep hashing cheap. */
export const newPasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(256, 'Use at most 256 characters.')
  .refine((value) => value.trim().length > 0, 'The password cannot be only spaces.');

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'Use at least 3 characters.')
  .max(64, 'Use at most 64 characters.')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Use letters, digits, dots, dashes and underscores.');

const limitOverride = z.strictObject({
  dailyRequestLimit: z.number().int().min(0).max(1_000_000).nullable().optional(),
  monthlyTokenLimit: z.number().int().min(0).max(10_000_000_000).nullable().optional(),
});
/** Per-model overrides of the role limits, keyed by model id. */
export const userLimitsSchema = z.record(z.string().min(1).max(128), limitOverride);

/** Named capabilities an admin may grant or withhold. */
export const PERMISSIONS = ['uploadDocuments', 'uploadImages', 'useCustomStyles', 'exportData', 'createApiKeys', 'seeAnswerUsage'] as const;
export const userPermissionsSchema = z.partialRecord(z.enum(PERMISSIONS), z.boolean());

/** Feature unlocks (bela_unlocked in the source schema): extra models or features for this user. */
export const userUnlocksSchema = z.record(z.string().min(1).max(64).regex(/^[\w.-]+$/), z.boolean());
