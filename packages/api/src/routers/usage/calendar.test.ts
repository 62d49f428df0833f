import { describe, expect, it } from 'vitest';
import { accountingPeriod } from './calendar';

describe('accounting periods', () => {
  it('uses the configured zone: 22:30 UTC is already tomorrow in Istanbul (UTC+3)', () => {
    const period = accountingPeriod(new Date('2026-11-30T22:30:00Z'), 'Europe/Istanbul');
    expect(period.day).toBe('2026-12-01');
    expect(period.month).toBe('2026-12-01');
    expect(period.dayResetsAt.toISOString()).toBe('2026-12-01T21:00:00.000Z');
    expect(period.monthResetsAt.toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('rolls the month over at local midnight and handles daylight saving zones', () => {
    expect(accountingPeriod(new Date('2026-11-30T20:59:59Z'), 'Europe/Istanbul').month).toBe('2026-11-01');
    const berlin = accountingPeriod(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin');
    // The next local midnight is still CET (UTC+1); DST starts at 02:00 that Sunday.
    expect(berlin.dayResetsAt.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    const afterSwitch = accountingPeriod(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect(afterSwitch.dayResetsAt.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('turns the day at local midnight even when asked again within the minute before it', () => {
    const before = accountingPeriod(new Date('2026-11-30T20:59:59.999Z'), 'Europe/Istanbul');
    expect(accountingPeriod(new Date('2026-11-30T20:59:00.000Z'), 'Europe/Istanbul')).toEqual(before);
    expect(accountingPeriod(new Date('2026-11-30T21:00:00.000Z'), 'Europe/Istanbul').day).toBe('2026-12-01');
    expect(before.day).toBe('2026-11-30');
  });

  it('gives each caller Dates of its own', () => {
    const first = accountingPeriod(new Date('2026-11-30T10:00:00Z'), 'Europe/Istanbul');
    first.dayResetsAt.setTime(0);
    expect(accountingPeriod(new Date('2026-11-30T10:00:30Z'), 'Europe/Istanbul').dayResetsAt.toISOString()).toBe('2026-11-30T21:00:00.000Z');
  });
});
