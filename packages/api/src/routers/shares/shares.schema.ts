import { z } from 'zod';
import { idSchema } from '../../schemas';

/** A share link's id: 16 random bytes in base64url. */
export const shareIdSchema = z.string().length(22, 'Not a valid share link.').regex(/^[A-Za-z0-9_-]+$/, 'Not a valid share link.');
export const byShareIdInput = z.object({ id: shareIdSchema });

export const createShareInput = z.object({
  conversationId: idSchema,
  /** Openable signed out too; refused unless an administrator allows public links. */
  public: z.boolean().default(false),
});

export const listSharesInput = z.object({ conversationId: idSchema.optional() });

export const shareSettingsInput = z.object({ allowPublicLinks: z.boolean() });
