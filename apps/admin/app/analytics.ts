import { eachDay, type DateRange } from './dates';

/** One row of `usage.admin.analytics`: the totals of a group (a day, a model, a role, a user). */
export type UsageRow = {
  key: string;
  requests: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  users: number;
};

export type UsageTotals = Omit<UsageRow, 'key'> & { tokens: number };

/**
 * The totals of a period from its rows grouped by role. Every user has exactly one role, so the
 * roles' distinct-user counts add up to the period's distinct users (grouping by day would not).
 */
export function totalsByRole(rows: readonly UsageRow[]): UsageTotals {
  const totals = { requests: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, costMicros: 0, users: 0 };
  for (const row of rows) {
    totals.requests += row.requests;
    totals.cacheHits += row.cacheHits;
    totals.promptTokens += row.promptTokens;
    totals.completionTokens += row.completionTokens;
    totals.costMicros += row.costMicros;
    totals.users += row.users;
  }
  return { ...totals, tokens: totals.promptTokens + totals.completionTokens };
}

/** Every day of the range, the quiet ones as zeros, so a chart's axis has no gaps. */
export function fillDays(range: DateRange, rows: readonly UsageRow[]) {
  const byDay = new Map(rows.map((row) => [row.key, row]));
  return eachDay(range).map((day) => {
    const row = byDay.get(day);
    return { day, requests: row?.requests ?? 0, cacheHits: row?.cacheHits ?? 0, costMicros: row?.costMicros ?? 0 };
  });
}

/** A part of a whole as 0..1; null when the whole is nothing. */
export const shareOf = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The query string of a CSV download for the same period. */
export function csvHref(range: DateRange, groupBy: 'day' | 'model' | 'role' | 'user') {
  return `/analytics.csv?${new URLSearchParams({ from: range.from, to: range.to, groupBy })}`;
}
