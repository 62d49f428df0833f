import type { ProviderSettings } from '@atrium/ai';
import type { EntityManager, IUser, Role } from '@atrium/db';
import { modelCatalog } from '../../platform/platform.parts';
import { listUsableModels } from '../models/models.service';
import { accountingPeriod, type AccountingPeriod } from './calendar';
import { effectiveLimits, type EffectiveLimits } from './limits.service';

/** A model's counters for a day and a month: what its quota shows (a settlement returns them too). */
export type QuotaCounters = { requests: number; cacheHits: number; tokens: number; reservedTokens: number };

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
      const today = daily.find((row) => row.model === model.id);
      const month = monthly.find((row) => row.model === model.id);
      return quotaOf(model, await effectiveLimits(em, user, model.id), period, {
        requests: Number(today?.requests ?? 0),
        cacheHits: Number(today?.cache_hits ?? 0),
        tokens: Number(month?.tokens ?? 0),
        reservedTokens: Number(month?.reserved_tokens ?? 0),
      });
    }),
  );
}

/** One model's row of `myUsage`: its counters against its limits, and when each resets. */
export function quotaOf(
  model: { id: string; displayName: string },
  limits: EffectiveLimits,
  period: Pick<AccountingPeriod, 'dayResetsAt' | 'monthResetsAt'>,
  counters: QuotaCounters,
) {
  // Tokens still reserved by running answers count against the month until they settle.
  const tokensThisMonth = counters.tokens + counters.reservedTokens;
  return {
    model: { id: model.id, displayName: model.displayName },
    today: {
      requests: counters.requests,
      cacheHits: counters.cacheHits,
      limit: limits.dailyRequestLimit,
      remaining: limits.dailyRequestLimit === null ? null : Math.max(0, limits.dailyRequestLimit - counters.requests),
      resetsAt: period.dayResetsAt,
    },
    month: {
      tokens: tokensThisMonth,
      limit: limits.monthlyTokenLimit,
      remaining: limits.monthlyTokenLimit === null ? null : Math.max(0, limits.monthlyTokenLimit - tokensThisMonth),
      resetsAt: period.monthResetsAt,
    },
  };
}
export type QuotaView = ReturnType<typeof quotaOf>;

/** The days of a month (`YYYY-MM-01`), as YYYY-MM-DD. */
export function daysOfMonth(month: string) {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return Array.from({ length: count }, (_, index) => `${month.slice(0, 8)}${String(index + 1).padStart(2, '0')}`);
}

/**
 * My ledger over one accounting month (default: this one), a row per day and model, with the
 * limits that remain and when they reset. Only the asking user's rows: the query is filtered by
 * their id, and no input names another user. Cost is included only when `showCost`.
 */
export async function myMonth(
  em: EntityManager,
  user: IUser,
  options: { providers: ProviderSettings; now: Date; timeZone: string; month?: string | undefined; showCost: boolean },
) {
  const period = accountingPeriod(options.now, options.timeZone);
  const month = options.month ? `${options.month}-01` : period.month;
  const [rows, catalog, limits] = await Promise.all([
    em.execute<{ date: string; model: string; requests: number; cache_hits: number; prompt_tokens: string; completion_tokens: string; cost_micros: string }[]>(
      `select to_char(date, 'YYYY-MM-DD') as date, model, requests, cache_hits, prompt_tokens, completion_tokens, cost_micros
         from usage_daily
        where user_id = ? and date >= ?::date and date < (?::date + interval '1 month')
          and (requests > 0 or cache_hits > 0 or prompt_tokens + completion_tokens > 0)
        order by date asc, model asc`,
      [user.id, month, month],
    ),
    modelCatalog(em),
    myUsage(em, user, options),
  ]);
  const nameOf = (id: string) => catalog.find((model) => model.id === id)?.displayName ?? id;
  const models = [...new Set(rows.map((row) => row.model))].map((id) => ({ id, displayName: nameOf(id) }));
  return {
    month: month.slice(0, 7),
    current: month === period.month,
    today: period.day,
    days: daysOfMonth(month),
    models,
    showCost: options.showCost,
    rows: rows.map((row) => ({
      date: row.date,
      model: row.model,
      requests: Number(row.requests),
      cacheHits: Number(row.cache_hits),
      promptTokens: Number(row.prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      costMicros: options.showCost ? Number(row.cost_micros) : null,
    })),
    // What remains is about today and this month, whichever month is viewed.
    limits,
  };
}

export type UsageGrouping = 'day' | 'model' | 'provider' | 'role' | 'user' | 'channel' | 'apiKey';
export type UsageQuery = { from: string; to: string; groupBy: UsageGrouping; limit: number };

const groupings: Record<Exclude<UsageGrouping, 'channel' | 'apiKey'>, { select: string; group: string; order: string }> = {
  day: { select: "to_char(u.date, 'YYYY-MM-DD')", group: 'u.date', order: 'u.date asc' },
  model: { select: 'u.model', group: 'u.model', order: 'cost_micros desc, key asc' },
  // Groq vs OpenAI vs the local engine: the first seed's per-engine counters, as sums.
  provider: { select: 'u.provider', group: 'u.provider', order: 'requests desc, key asc' },
  // An erased user's rows have no user any more; their role was kept on the row.
  role: { select: 'coalesce(usr.role, u.erased_role)', group: 'coalesce(usr.role, u.erased_role)', order: 'cost_micros desc, key asc' },
  // Erased users' rows add up under one empty key (shown as "Deleted users").
  user: { select: "coalesce(usr.username, '')", group: 'usr.username', order: 'cost_micros desc, requests desc, key asc' },
};

/**
 * The aggregate behind analytics: one statement, grouped in SQL (the date index keeps a year of
 * rows fast). The channel view splits the ledger into API use (recorded per key) and web use
 * (everything else in `usage_daily`, which counts both); the key view ranks API keys.
 */
export function usageAnalyticsSql(groupBy: UsageGrouping) {
  if (groupBy === 'channel') {
    return `with api as (
              select user_id, date, model, sum(requests) as requests, sum(prompt_tokens) as prompt_tokens,
                     sum(completion_tokens) as completion_tokens, sum(cost_micros) as cost_micros
                from api_usage_daily where date between ? and ? group by user_id, date, model),
            web as (
              select u.user_id, u.requests - coalesce(a.requests, 0) as requests, u.cache_hits,
                     u.prompt_tokens - coalesce(a.prompt_tokens, 0) as prompt_tokens,
                     u.completion_tokens - coalesce(a.completion_tokens, 0) as completion_tokens,
                     u.cost_micros - coalesce(a.cost_micros, 0) as cost_micros
                from usage_daily u left join api a on a.user_id = u.user_id and a.date = u.date and a.model = u.model
               where u.date between ? and ?)
     select * from (
       select 'web' as key, coalesce(sum(requests), 0) as requests, coalesce(sum(cache_hits), 0) as cache_hits,
              coalesce(sum(prompt_tokens), 0) as prompt_tokens, coalesce(sum(completion_tokens), 0) as completion_tokens,
              coalesce(sum(cost_micros), 0) as cost_micros, count(distinct user_id) filter (where requests > 0 or cache_hits > 0) as users
         from web
       union all
       select 'api', coalesce(sum(requests), 0), 0, coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0),
              coalesce(sum(cost_micros), 0), count(distinct user_id)
         from api) channels
     limit ?`;
  }
  if (groupBy === 'apiKey') {
    return `select coalesce(usr.username || ' · ' || k.name || ' (' || k.prefix || '…)', 'erased key') as key,
              sum(a.requests) as requests, 0 as cache_hits, sum(a.prompt_tokens) as prompt_tokens,
              sum(a.completion_tokens) as completion_tokens, sum(a.cost_micros) as cost_micros, count(distinct a.user_id) as users
         from api_usage_daily a left join api_keys k on k.id = a.api_key_id left join users usr on usr.id = k.user_id
        where a.date between ? and ?
        group by a.api_key_id, usr.username, k.name, k.prefix
        order by cost_micros desc, requests desc, key asc
        limit ?`;
  }
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
  >(
    usageAnalyticsSql(query.groupBy),
    query.groupBy === 'channel' ? [query.from, query.to, query.from, query.to, query.limit] : [query.from, query.to, query.limit],
  );
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
