import { describe, expect, it } from 'vitest';
import { csvHref, fillDays, shareOf, totalsByRole, type UsageRow } from './analytics';

const row = (key: string, fields: Partial<UsageRow> = {}): UsageRow => ({
  key,
  requests: 0,
  cacheHits: 0,
  promptTokens: 0,
  completionTokens: 0,
  costMicros: 0,
  users: 0,
  ...fields,
});

describe('usage figures for the analytics page', () => {
  it('adds the roles up to the period’s totals, users included', () => {
    const totals = totalsByRole([
      row('student', {
        requests: 40,
        cacheHits: 3,
        promptTokens: 1000,
        completionTokens: 500,
        costMicros: 1_200,
        users: 7,
      }),
      row('staff', { requests: 2, promptTokens: 10, completionTokens: 5, costMicros: 30, users: 1 }),
    ]);
    expect(totals).toEqual({
      requests: 42,
      cacheHits: 3,
      promptTokens: 1010,
      completionTokens: 505,
      tokens: 1515,
      costMicros: 1_230,
      users: 8,
    });
    expect(totalsByRole([]).users).toBe(0);
  });

  it('fills the quiet days of a range with zeros, in order', () => {
    const days = fillDays({ from: '2026-11-20', to: '2026-11-23' }, [
      row('2026-11-21', { requests: 5, costMicros: 9 }),
      row('2026-11-23', { requests: 1 }),
    ]);
    expect(days.map((day) => [day.day, day.requests, day.costMicros])).toEqual([
      ['2026-11-20', 0, 0],
      ['2026-11-21', 5, 9],
      ['2026-11-22', 0, 0],
      ['2026-11-23', 1, 0],
    ]);
  });

  it('gives no share of nothing', () => {
    expect(shareOf(1, 4)).toBe(0.25);
    expect(shareOf(0, 0)).toBeNull();
  });

  it('links the CSV download to the same period', () => {
    expect(csvHref({ from: '2026-11-01', to: '2026-11-23' }, 'user')).toBe(
      '/analytics.csv?from=2026-11-01&to=2026-11-23&groupBy=user',
    );
  });
});
