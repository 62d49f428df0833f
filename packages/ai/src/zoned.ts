/**
 * Values per IANA time zone, made once: building an Intl.DateTimeFormat costs far more than using
 * one, and every turn asks for dates in the accounting zone.
 */
export function perZone<T>(make: (timeZone: string) => T): (timeZone: string) => T {
  const made = new Map<string, T>();
  return (timeZone) => {
    let value = made.get(timeZone);
    if (value === undefined) made.set(timeZone, (value = make(timeZone)));
    return value;
  };
}

/**
 * A value of an instant in a zone that can only change from one minute to the next (a date, a
 * period: a zone's offset is whole minutes), computed once per zone and minute.
 */
export function perZoneMinute<T>(compute: (instant: Date, timeZone: string) => T): (instant: Date, timeZone: string) => T {
  const thisMinute = new Map<string, { minute: number; value: T }>();
  return (instant, timeZone) => {
    const minute = Math.floor(instant.getTime() / 60_000);
    let known = thisMinute.get(timeZone);
    if (known?.minute !== minute) thisMinute.set(timeZone, (known = { minute, value: compute(instant, timeZone) }));
    return known.value;
  };
}

/** A zone's calendar day as YYYY-MM-DD (`format`) or its parts (`formatToParts`), one formatter per zone. */
export const zonedDayFormat = perZone((timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
