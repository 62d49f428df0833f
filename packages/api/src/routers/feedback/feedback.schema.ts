import { FEEDBACK_TYPES } from '@atrium/db';
import { z } from 'zod';
import { idSchema } from '../../schemas';

export const giveInput = z.object({
  messageId: idSchema,
  type: z.enum(FEEDBACK_TYPES),
  comment: z.string().trim().max(2000, 'Keep the comment under 2000 characters.').nullish(),
});
export const retractInput = z.object({ messageId: idSchema });
export const mineInput = z.object({ conversationId: idSchema });

const filters = {
  model: z.string().min(1).max(128).optional(),
  /** Inclusive instants on the rating's creation time. */
  from: z.date().optional(),
  to: z.date().optional(),
};

export const listInput = z.object({
  ...filters,
  type: z.enum(FEEDBACK_TYPES).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.object({ createdAt: z.date(), id: idSchema }).nullish(),
});

export const statsInput = z.object(filters).default({});
