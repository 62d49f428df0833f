/**
 * Calendar days as the usage ledger counts them: YYYY-MM-DD in the accounting time zone.
 * The server's default zone is Europe/Istanbul (USAGE_TIME_ZONE); the API does not expose its
 * setting, so the admin app assumes the default when it picks "today" for a default range.
 */
export const ACCOUNTING_TIME_ZONE = 'Europe/Istanbul';

export type DateRange = { from: string; to: string };

const DAY_MS = 86_400_000;
/** The longest range the analytics page asks for (a year and a day, so a leap year fits). */
export const MAX_RANGE_DAYS = 366;

/** The calendar day of an instant in a time zone. */
export function dayIn(instant: Date, timeZone = ACCOUNTING_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

export function isIsoDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

export const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

/** The last `days` days up to and including today. */
export function lastDays(now: Date, days = 30, timeZone = ACCOUNTING_TIME_ZONE): DateRange {
  const to = dayIn(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/**
 * The range a page was asked for in its query string (`from`, `to`), or the last 30 days.
 * A missing or malformed end falls back to the default's; a reversed range is swapped; a range
 * longer than a year keeps its end and starts a year before it.
 */
export function rangeFromSearch(params: URLSearchParams, now: Date, timeZone = ACCOUNTING_TIME_ZONE): DateRange {
  const fallback = lastDays(now, 30, timeZone);
  const rawFrom = params.get('from');
  const rawTo = params.get('to');
  let to = isIsoDay(rawTo) ? rawTo : fallback.to;
  let from = isIsoDay(rawFrom) ? rawFrom : isIsoDay(rawTo) ? addDays(to, -29) : fallback.from;
  if (from > to) [from, to] = [to, from];
  if (daysBetween({ from, to }) > MAX_RANGE_DAYS) from = addDays(to, -(MAX_RANGE_DAYS - 1));
  return { from, to };
}

/** Every day of a range, in order. */
export function eachDay(range: DateRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to && days.length <= MAX_RANGE_DAYS; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The instant local midnight starts a day in a time zone (DST-safe to the minute). */
export function zonedDayStart(day: string, timeZone = ACCOUNTING_TIME_ZONE): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const offsetAt = (instant: number) => {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(instant))
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = name ? /GMT([+-])(\d{2}):?(\d{2})?/.exec(name) : null;
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    return (match[1] === '-' ? -minutes : minutes) * 60_000;
  };
  return new Date(guess - offsetAt(guess - offsetAt(guess)));
}

/** A range of days as the instants it spans: from local midnight to just before the next one. */
export function rangeInstants(range: Partial<DateRange>, timeZone = ACCOUNTING_TIME_ZONE): { from?: Date; to?: Date } {
  return {
    ...(range.from ? { from: zonedDayStart(range.from, timeZone) } : {}),
    ...(range.to ? { to: new Date(zonedDayStart(addDays(range.to, 1), timeZone).getTime() - 1) } : {}),
  };
}

/** The shortcuts a date range picker offers, as of today. */
export function rangeShortcuts(now: Date, timeZone = ACCOUNTING_TIME_ZONE) {
  const today = dayIn(now, timeZone);
  return [
    { id: 'last7', range: lastDays(now, 7, timeZone) },
    { id: 'last30', range: lastDays(now, 30, timeZone) },
    { id: 'last90', range: lastDays(now, 90, timeZone) },
    { id: 'thisMonth', range: { from: monthStart(today), to: today } },
  ] as const;
}
