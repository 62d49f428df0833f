/**
 * Accounting days and months in one configured time zone (default Europe/Istanbul), so that
 * "today" resets at the same local midnight for every server, whatever its own zone.
 */
import { perZone, perZoneMinute, zonedDayFormat } from '@atrium/ai';

export type AccountingPeriod = { day: string; month: string; dayResetsAt: Date; monthResetsAt: Date };

const offsetFormat = perZone((timeZone) => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));

const dateParts = (instant: Date, timeZone: string) => {
  const parts = zonedDayFormat(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
};

const iso = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The UTC instant of local midnight starting the given calendar date in the zone. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  // The zone's offset at that moment; one correction covers DST changes that fall at midnight.
  const offsetAt = (instant: number) => {
    const name = offsetFormat(timeZone)
      .formatToParts(new Date(instant))
      .find((part) => part.type === 'timeZoneName')!.value;
    const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    return (match[1] === '-' ? -minutes : minutes) * 60_000;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/**
 * Every admission asks for its period, which five formatter calls make: kept per zone for the
 * minute it was made in.
 */
const periodThisMinute = perZoneMinute(periodAt);

export function accountingPeriod(instant: Date, timeZone: string): AccountingPeriod {
  const period = periodThisMinute(instant, timeZone);
  // Dates of the caller's own: no request can change another's.
  return { ...period, dayResetsAt: new Date(period.dayResetsAt), monthResetsAt: new Date(period.monthResetsAt) };
}

function periodAt(instant: Date, timeZone: string): AccountingPeriod {
  const { year, month, day } = dateParts(instant, timeZone);
  const tomorrow = new Date(Date.UTC(year, month - 1, day + 1));
  const nextMonth = new Date(Date.UTC(year, month, 1));
  return {
    day: iso(year, month, day),
    month: iso(year, month, 1),
    dayResetsAt: zonedMidnight(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), timeZone),
    monthResetsAt: zonedMidnight(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 1, timeZone),
  };
}
