import { z } from 'zod';

const days = z.number().int().min(1).max(36_500);

/** Retention periods; null keeps that kind forever (conversations and audit events only). */
export const retentionSettingsInput = z.object({
  conversationDays: days.nullable(),
  exportHours: z.number().int().min(1).max(24 * 30),
  auditDays: days.nullable(),
});
export type RetentionSettingsInput = z.infer<typeof retentionSettingsInput>;
