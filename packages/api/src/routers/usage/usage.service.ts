import type { ProviderSettings } from '@atrium/ai';
import type { EntityManager, IUser, Role } from '@atrium/db';
import { listUsableModels } from '../models/models.service';
import { accountingPeriod } from './calendar';
import { effectiveLimits } from './limits.service';

/** Today's and this month's use per usable model, with what remains and when it resets. */
export async function myUsage(em: EntityManager, user: IUser, options: { providers: ProviderSettings; now: Date; timeZone: string }) {
  const period = accountingPeriod(options.now, options.timeZone);
  const models = await listUsableModels(em, user, options.providers);
  const daily = await em.execute<{ model: string; requests: number; cache_hits: number; prompt_tokens: string; completion_tokens: string; cost_micros: string }[]>(
    'select model, requests, cache_hits, prompt_tokens, completion_tokens, cost_micros from usage_daily where user_id = ? and date = ?',
    [user.id, period.day],
  );
  const monthly = await em.execute<{ model: string; tokens: string; reserved_tokens: string }[]>(
    'select model, tokens, reserved_tokens from usage_monthly where user_id = ? and month = ?',
    [user.id, period.month],
  );
  return Promise.all(
    models.map(async (model) => {
      const limits = await effectiveLimits(em, user, model.id);
      const today = daily.find((row) => row.model === model.id);
      const month = monthly.find((row) => row.model === model.id);
      const requestsToday = Number(today?.requests ?? 0);
      const tokensThisMonth = Number(month?.tokens ?? 0) + Number(month?.reserved_tokens ?? 0);
      return {
        model: { id: model.id, displayName: model.displayName },
        today: {
          requests: requestsToday,
          cacheHits: Number(today?.cache_hits ?? 0),
          limit: limits.dailyRequestLimit,
          remaining: limits.dailyRequestLimit === null ? null : Math.max(0, limits.dailyRequestLimit - requestsToday),
          resetsAt: period.dayResetsAt,
        },
        month: {
          tokens: tokensThisMonth,
          limit: limits.monthlyTokenLimit,
          remaining: limits.monthlyTokenLimit === null ? null : Math.max(0, limits.monthlyTokenLimit - tokensThisMonth),
          resetsAt: period.monthResetsAt,
        },
      };
    }),
  );
}

export type UsageGrouping = 'day' | 'model' | 'role' | 'user';
export type UsageQuery = { from: string; to: string; groupBy: UsageGrouping; limit: number };

const groupings: Record<UsageGrouping, { select: string; group: string; order: string }> = {
  day: { select: "to_char(u.date, 'YYYY-MM-DD')", group: 'u.date', order: 'u.date asc' },
  model: { select: 'u.model', group: 'u.model', order: 'cost_micros desc, key asc' },
  // An erased user's rows have no user any more; their role was kept on the row.
  role: { select: 'coalesce(usr.role, u.erased_role)', group: 'coalesce(usr.role, u.erased_role)', order: 'cost_micros desc, key asc' },
  // Erased users' rows add up under one empty key (shown as "Deleted users").
  user: { select: "coalesce(usr.username, '')", group: 'usr.username', order: 'cost_micros desc, requests desc, key asc' },
};

/** The aggregate behind analytics: one statement, grouped in SQL (the date index keeps a year of rows fast). */
export function usageAnalyticsSql(groupBy: UsageGrouping) {
  const grouping = groupings[groupBy];
  return `select ${grouping.select} as key,
            sum(u.requests) as requests, sum(u.cache_hits) as cache_hits,
            sum(u.prompt_tokens) as prompt_tokens, sum(u.completion_tokens) as completion_tokens,
            sum(u.cost_micros) as cost_micros, count(distinct u.user_id) as users
       from usage_daily u left join users usr on usr.id = u.user_id
      where u.date between ? and ?
      group by ${grouping.group}
      order by ${grouping.order}
      limit ?`;
}

/** Usage and cost over a date range, by day, model, role or user. */
export async function usageAnalytics(em: EntityManager, query: UsageQuery) {
  const rows = await em.execute<
    { key: string; requests: string; cache_hits: string; prompt_tokens: string; completion_tokens: string; cost_micros: string; users: string }[]
  >(usageAnalyticsSql(query.groupBy), [query.from, query.to, query.limit]);
  return rows.map((row) => ({
    key: String(row.key),
    requests: Number(row.requests),
    cacheHits: Number(row.cache_hits),
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    costMicros: Number(row.cost_micros),
    users: Number(row.users),
  }));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote, and neutralise spreadsheet formulas (a username could start with "=").
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function usageCsv(grouping: UsageGrouping, rows: Awaited<ReturnType<typeof usageAnalytics>>) {
  const header = [grouping, 'requests', 'cache_hits', 'prompt_tokens', 'completion_tokens', 'cost', 'users'];
  const lines = rows.map((row) =>
    [row.key, row.requests, row.cacheHits, row.promptTokens, row.completionTokens, (row.costMicros / 1_000_000).toFixed(6), row.users]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

export const ROLE_ORDER: Role[] = ['student', 'staff', 'admin'];
