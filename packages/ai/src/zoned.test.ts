import { describe, expect, it } from 'vitest';
import { perZone, perZoneMinute } from './zoned';

describe('values per time zone', () => {
  it('makes a value once per zone', () => {
    const made: string[] = [];
    const format = perZone((timeZone) => (made.push(timeZone), new Intl.DateTimeFormat('en-CA', { timeZone })));
    expect(format('Europe/Istanbul')).toBe(format('Europe/Istanbul'));
    expect(format('UTC')).not.toBe(format('Europe/Istanbul'));
    expect(made).toEqual(['Europe/Istanbul', 'UTC']);
  });

  it('computes a value once per zone and minute, and again in the next minute', () => {
    const computed: string[] = [];
    const dateIn = perZoneMinute((instant, timeZone) => {
      computed.push(`${timeZone} ${instant.toISOString()}`);
      return new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant);
    });
    // 20:59 UTC is 23:59 in Istanbul; a minute later it is the next day there, and still the same day in UTC.
    expect(dateIn(new Date('2026-11-30T20:59:05Z'), 'Europe/Istanbul')).toBe('2026-11-30');
    expect(dateIn(new Date('2026-11-30T20:59:55Z'), 'Europe/Istanbul')).toBe('2026-11-30');
    expect(dateIn(new Date('2026-11-30T21:00:00Z'), 'Europe/Istanbul')).toBe('2026-12-01');
    expect(dateIn(new Date('2026-11-30T21:00:30Z'), 'UTC')).toBe('2026-11-30');
    expect(computed).toEqual(['Europe/Istanbul 2026-11-30T20:59:05.000Z', 'Europe/Istanbul 2026-11-30T21:00:00.000Z', 'UTC 2026-11-30T21:00:30.000Z']);
  });
});
