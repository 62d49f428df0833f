/** How long the cache keeps answers, as a number and a unit an admin thinks in. */
export const TTL_UNITS = { minutes: 60, hours: 3_600, days: 86_400 } as const;
export type TtlUnit = keyof typeof TTL_UNITS;

/** The largest unit that divides the duration evenly (a day and a half reads "36 hours"). */
export function splitTtl(seconds: number): { value: number; unit: TtlUnit } {
  for (const unit of ['days', 'hours'] as const) {
    if (seconds >= TTL_UNITS[unit] && seconds % TTL_UNITS[unit] === 0)
      return { value: seconds / TTL_UNITS[unit], unit };
  }
  return { value: Math.round((seconds / 60) * 100) / 100, unit: 'minutes' };
}

/** Seconds for a number of units; NaN when the number or the unit is not one (the API refuses it). */
export function ttlSeconds(value: number, unit: string): number {
  const size = TTL_UNITS[unit as TtlUnit];
  return size && Number.isFinite(value) ? Math.round(value * size) : Number.NaN;
}
