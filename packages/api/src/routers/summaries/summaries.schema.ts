import { z } from 'zod';
import { idSchema } from '../../schemas';

export const summaryInput = z.object({ conversationId: idSchema });

export const summarySettingsInput = z
  .object({
    enabled: z.boolean(),
    firstThreshold: z.number().int().min(2, 'Summarise after at least 2 messages.').max(10_000),
    updateStep: z.number().int().min(2, 'Refresh after at least 2 new messages.').max(10_000),
    maxMessages: z.number().int().min(2, 'Keep at least 2 recent messages.').max(1_000),
  })
  .refine((settings) => settings.maxMessages < settings.firstThreshold, {
    message: 'Keep fewer recent messages than the first threshold, or there is nothing to summarise.',
    path: ['maxMessages'],
  });
