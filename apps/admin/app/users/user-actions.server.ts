import { toRefusal } from '@atrium/ui/form.server';

/** What the user page's forms do; each form posts one of these as `intent`. */
export const INTENTS = ['setRole', 'roleFromDirectory', 'ban', 'unban', 'setLimits', 'setStorageQuota', 'setPermissions', 'setUnlocks', 'export', 'delete'] as const;
export type Intent = (typeof INTENTS)[number];
export const isIntent = (value: unknown): value is Intent => INTENTS.includes(value as Intent);

export type UserActionError = 'self' | 'lastAdmin' | 'notFound' | 'invalid' | 'failed';
export type UserActionAnswer =
  | { intent: Intent; ok: true }
  | { intent: Intent; ok: false; error: UserActionError; fields?: Record<string, 'invalid'> };

/**
 * An admin action's refusal, as the page explains it. The API words these in English; its
 * messages for the two rules that protect administrators are matched here, once.
 */
export function userActionError(error: unknown): UserActionError {
  const refusal = toRefusal(error);
  if (refusal.code === 'NOT_FOUND') return 'notFound';
  if (refusal.code === 'CONFLICT' && /last administrator/i.test(refusal.message)) return 'lastAdmin';
  if (refusal.code === 'BAD_REQUEST' && /your own account/i.test(refusal.message)) return 'self';
  if (refusal.code === 'BAD_REQUEST') return 'invalid';
  return 'failed';
}
