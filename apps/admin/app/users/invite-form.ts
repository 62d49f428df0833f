/** How long a new invite stays usable, as the invites page offers it (days; empty = never). */
export const EXPIRY_DAYS = [1, 7, 30, 90] as const;
const DAY_MS = 86_400_000;

/** The expiry instant for the chosen option, or null (never) for anything else. */
export function expiryFrom(choice: FormDataEntryValue | null, now: Date): Date | null {
  const days = Number(choice);
  return (EXPIRY_DAYS as readonly number[]).includes(days) ? new Date(now.getTime() + days * DAY_MS) : null;
}

export const INVITE_STATUSES = ['open', 'used', 'revoked', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];
/** The API's status word for an invite, narrowed for the page (unknown words read as "open"). */
export const inviteStatus = (value: string): InviteStatus => (INVITE_STATUSES.includes(value as InviteStatus) ? (value as InviteStatus) : 'open');
