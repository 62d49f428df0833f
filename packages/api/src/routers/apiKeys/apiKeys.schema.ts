import { ROLES } from '@atrium/db';
import { z } from 'zod';
import { idSchema, pageInput } from '../../schemas';

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name.').max(100, 'Use at most 100 characters.'),
  /** Null: the key works until it is revoked. */
  expiresAt: z.date().nullable().default(null),
});

export const adminListApiKeysInput = pageInput.extend({
  userId: idSchema.optional(),
  state: z.enum(['active', 'all']).default('all'),
});

export const apiSettingsInput = z.object({
  keyRoles: z.array(z.enum(ROLES)).max(ROLES.length),
  applyIdentity: z.boolean(),
  storeConversations: z.boolean(),
});
