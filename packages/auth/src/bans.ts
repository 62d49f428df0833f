import { BannedError, type IUser } from '@atrium/db';

type BanFields = Pick<IUser, 'isBanned'> & { bannedUntil?: Date | null; banReason?: string | null };

/** A ban holds until its end (if it has one); past the end it has lifted, whether or not the sweep has run. */
export function isBanActive(user: BanFields, now: Date): boolean {
  if (!user.isBanned) return false;
  return !user.bannedUntil || user.bannedUntil.getTime() > now.getTime();
}

/** Throws the ban (reason and end) when one is in force. */
export function assertNotBanned(user: BanFields, now: Date) {
  if (isBanActive(user, now)) {
    throw new BannedError({ reason: user.banReason ?? null, until: user.bannedUntil ? user.bannedUntil.toISOString() : null });
  }
}
