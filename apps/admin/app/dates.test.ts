import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  dayIn,
  eachDay,
  isIsoDay,
  lastDays,
  monthStart,
  rangeFromSearch,
  rangeInstants,
  zonedDayStart,
} from './dates';

const params = (query: string) => new URLSearchParams(query);

describe('accounting days', () => {
  it('counts the day in Istanbul, which starts three hours before UTC midnight', () => {
    expect(dayIn(new Date('2026-11-23T20:59:00Z'))).toBe('2026-11-23');
    expect(dayIn(new Date('2026-11-23T21:00:00Z'))).toBe('2026-11-24');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-1-05')).toBe(false);
    expect(isIsoDay(null)).toBe(false);
  });

  it('moves across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(monthStart('2026-11-23')).toBe('2026-11-01');
    expect(daysBetween({ from: '2026-11-01', to: '2026-11-30' })).toBe(30);
    expect(eachDay({ from: '2026-12-30', to: '2027-01-02' })).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });
});

describe('the date range of a page', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  it('defaults to the last 30 days, today included', () => {
    expect(lastDays(now)).toEqual({ from: '2026-10-25', to: '2026-11-23' });
    expect(rangeFromSearch(params(''), now)).toEqual({ from: '2026-10-25', to: '2026-11-23' });
  });

  it('keeps a valid range from the query string', () => {
    expect(rangeFromSearch(params('from=2026-01-01&to=2026-01-31'), now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    });
  });

  it('ends a range with only a start today, and starts one with only an end 30 days before it', () => {
    expect(rangeFromSearch(params('from=2026-11-01'), now)).toEqual({ from: '2026-11-01', to: '2026-11-23' });
    expect(rangeFromSearch(params('to=2026-06-30'), now)).toEqual({ from: '2026-06-01', to: '2026-06-30' });
  });

  it('ignores malformed dates, swaps a reversed range and caps it at a year', () => {
    expect(rangeFromSearch(params('from=yesterday&to=2026-13-01'), now)).toEqual({
      from: '2026-10-25',
      to: '2026-11-23',
    });
    expect(rangeFromSearch(params('from=2026-11-20&to=2026-11-10'), now)).toEqual({
      from: '2026-11-10',
      to: '2026-11-20',
    });
    expect(rangeFromSearch(params('from=2020-01-01&to=2026-11-23'), now)).toEqual({
      from: '2025-11-23',
      to: '2026-11-23',
    });
  });

  it('turns days into the instants they span in Istanbul', () => {
    expect(zonedDayStart('2026-11-23').toISOString()).toBe('2026-11-22T21:00:00.000Z');
    expect(zonedDayStart('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    const { from, to } = rangeInstants({ from: '2026-11-01', to: '2026-11-23' });
    expect(from?.toISOString()).toBe('2026-10-31T21:00:00.000Z');
    expect(to?.toISOString()).toBe('2026-11-23T20:59:59.999Z');
    expect(rangeInstants({})).toEqual({});
  });
});
