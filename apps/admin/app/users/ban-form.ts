/** How long a ban lasts, as the admin picks it; `forever` lasts until an admin lifts it. */
export const BAN_DURATIONS = { forever: null, hour: 60 * 60 * 1000, day: 24 * 60 * 60 * 1000, week: 7 * 24 * 60 * 60 * 1000, month: 30 * 24 * 60 * 60 * 1000 } as const;
export type BanDuration = keyof typeof BAN_DURATIONS;

/** The end of a ban picked now, or null for one without an end (also for anything unrecognised). */
export function banEnd(duration: FormDataEntryValue | null, now: Date): Date | null {
  const ms = typeof duration === 'string' && Object.hasOwn(BAN_DURATIONS, duration) ? BAN_DURATIONS[duration as BanDuration] : null;
  return ms === null ? null : new Date(now.getTime() + ms);
}
