import { randomUUID } from 'node:crypto';
import {
  asJson,
  directSql,
  LimitExceededError,
  type EntityManager,
  type Execute,
  type IModel,
  type IUser,
} from '@atrium/db';
import { admissionsRefused } from '../../observability/metrics';
import { roleLimit } from '../../platform/platform.parts';
import { accountingPeriod } from './calendar';

export type EffectiveLimits = { dailyRequestLimit: number | null; monthlyTokenLimit: number | null };

/**
 * The user's `limits` JSON beats the (model, role) row field by field; no row means no limit,
 * which is how admins are unlimited unless someone sets a limit for them. Role limits are read
 * from memory (see platform.cache.ts); the counting itself is always the database's (`admit`).
 */
export async function effectiveLimits(em: EntityManager, user: IUser, modelId: string): Promise<EffectiveLimits> {
  const limit = await roleLimit(em, modelId, user.role);
  const override = user.limits?.[modelId] ?? {};
  return {
    dailyRequestLimit: override.dailyRequestLimit !== undefined ? override.dailyRequestLimit : (limit?.dailyRequestLimit ?? null),
    monthlyTokenLimit: override.monthlyTokenLimit !== undefined ? override.monthlyTokenLimit : (limit?.monthlyTokenLimit ?? null),
  };
}

/** What admission took, to be settled (or given back) when the answer ends. */
export type Reservation = {
  userId: string;
  modelId: string;
  provider: IModel['provider'];
  day: string;
  month: string;
  reservedTokens: number;
  /**
   * The turn's lease row (token_lease), written with the admission and removed by its settlement;
   * null for metering extra tokens (a title, a summary) against a turn without releasing anything.
   */
  leaseId: string | null;
};

export type AdmitOptions = {
  user: IUser;
  model: IModel;
  reserveTokens: number;
  now: Date;
  timeZone: string;
  /** The answer's conversation: a turn whose process dies is saved there as interrupted. */
  conversationId?: string | null;
  /** The question being answered (its id may be written by `alsoWrite`): readers attach by it, a dead turn's answer goes under it. */
  questionId?: string | null;
  /** Our estimate of the prompt, charged for a dead turn that streamed something. */
  promptEstimate?: number;
  /** How long the lease lasts unless renewed (default 2 minutes). */
  leaseMs?: number;
  /**
   * Writes that belong with the admission (the user's message), as common table expressions of
   * its statement: no round trip of their own, and a refusal undoes them with the rest.
   */
  alongside?: {
    sql: string;
    params: unknown[];
    /** A select-list expression over those writes (their `returning`), its value handed back as `returned`. */
    returns?: string;
  };
  /** Writes that belong with the admission but need statements of their own: in a transaction with its statement, after both limits passed. */
  alsoWrite?: (tx: EntityManager) => Promise<void>;
  /**
   * A select of at most one row that, when it finds one, serves the turn without tokens (a cached
   * answer): run inside the admission's statement, so it costs no round trip; when it finds a row,
   * nothing is reserved (the day's request is still taken).
   */
  servedBy?: { sql: string; params: unknown[] };
  /**
   * A condition on what the caller read before admitting (a fingerprint of it, read again inside
   * the statement): when it no longer holds, the statement refuses and undoes all it wrote, and
   * admission throws `ReadChangedError`; the caller reads again and admits on that.
   */
  unlessChanged?: { sql: string; params: unknown[] };
};

/** What the caller admitted on changed since it read it (`unlessChanged`): nothing was written. */
export class ReadChangedError extends Error {
  constructor() {
    super('What the turn read changed before its admission.');
  }
}

export const DEFAULT_LEASE_MS = 120_000;

/**
 * Takes one request from today's allowance and reserves tokens from this month's budget in one
 * autocommit statement, each limit a conditional upsert: parallel requests on any number of
 * servers admit exactly as many as the limits allow. The month's upsert reads the day's, so the
 * day's row is taken first (as settlement takes them). A refusal calls `atrium_refuse` (the
 * AdmissionRefusal migration), whose error undoes everything the statement wrote: the day's
 * request, the lease, the question. A refused turn writes nothing, so `alsoWrite` costs no
 * transaction of its own.
 */
export async function admit(em: EntityManager, options: AdmitOptions): Promise<Reservation> {
  return (await admitUnlessServed(em, options)).reservation;
}

/** `admit`, with the row `servedBy` found (null when it found none, or was not given). */
export async function admitUnlessServed<Served = unknown, Returned = unknown>(
  em: EntityManager,
  options: AdmitOptions,
): Promise<{ reservation: Reservation; served: Served | null; returned: Returned | null }> {
  const { user, model, now, timeZone } = options;
  const limits = await effectiveLimits(em, user, model.id);
  const period = accountingPeriod(now, timeZone);
  const reservation: Reservation = {
    userId: user.id,
    modelId: model.id,
    provider: model.provider,
    day: period.day,
    month: period.month,
    reservedTokens: limits.monthlyTokenLimit === null ? 0 : options.reserveTokens,
    leaseId: randomUUID(),
  };
  const refuse = async (limit: RefusedLimit): Promise<never> => {
    admissionsRefused.inc({ reason: limit });
    if (limit === 'dailyRequests') {
      throw new LimitExceededError(`You have used all ${limits.dailyRequestLimit} requests for ${model.displayName} today.`, {
        limit: 'dailyRequests',
        model: model.id,
        max: limits.dailyRequestLimit,
        remaining: 0,
        resetsAt: period.dayResetsAt.toISOString(),
      });
    }
    const monthly = limits.monthlyTokenLimit!;
    // Read after the refused statement, as its own: what the month holds now.
    const used = await monthlyTokensUsed(directSql(em).execute, user.id, model.id, period.month);
    throw new LimitExceededError(`You have used this month's token budget for ${model.displayName}.`, {
      limit: 'monthlyTokens',
      model: model.id,
      max: monthly,
      remaining: Math.max(0, monthly - used),
      resetsAt: period.monthResetsAt.toISOString(),
    });
  };
  if (limits.dailyRequestLimit !== null && limits.dailyRequestLimit <= 0) return refuse('dailyRequests');

  const { sql, params } = admissionSql(reservation, limits, options);
  const { alsoWrite } = options;
  let verdict: VerdictRow<Served, Returned> | undefined;
  try {
    if (alsoWrite) {
      verdict = await em.transactional(async (tx) => {
        const [row] = await tx.execute<VerdictRow<Served, Returned>[]>(sql, [...params]);
        await alsoWrite(tx);
        return row;
      });
    } else if (em.isInTransaction()) {
      // A savepoint: a refusal must not abort the caller's transaction.
      [verdict] = await directSql(em).transaction((execute) => execute<VerdictRow<Served, Returned>>(sql, params));
    } else {
      // Bound and sent by the driver, no transaction: one statement is atomic on its own.
      [verdict] = await directSql(em).execute<VerdictRow<Served, Returned>>(sql, params);
    }
  } catch (error) {
    const refused = refusedLimit(error);
    if (refused === 'changed') throw new ReadChangedError();
    if (refused) return refuse(refused);
    throw error;
  }
  const served = asJson<Served | null>(verdict?.atrium_served ?? null);
  // What `servedBy` found reserved nothing (the lease's tokens were 0 too): nothing to give back.
  if (served !== null) reservation.reservedTokens = 0;
  return { reservation, served, returned: asJson<Returned | null>(verdict?.atrium_returned ?? null) };
}

/** The admission statement's row: what `servedBy` found and what `alongside` returns, as JSON (parsed on PostgreSQL, text on PGlite). */
type VerdictRow<Served, Returned> = { atrium_served?: Served | string | null; atrium_returned?: Returned | string | null };

type RefusedLimit = 'dailyRequests' | 'monthlyTokens' | 'changed';

/** The SQLSTATE `atrium_refuse` raises (migration AdmissionRefusal). */
const REFUSED = 'AT429';

/** Which limit refused, when `error` is `atrium_refuse`'s (as the driver or MikroORM passes it on). */
function refusedLimit(error: unknown): RefusedLimit | null {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== REFUSED) return null;
  if (error.message.includes('atrium_refuse: monthlyTokens')) return 'monthlyTokens';
  if (error.message.includes('atrium_refuse: dailyRequests')) return 'dailyRequests';
  if (error.message.includes('atrium_refuse: changed')) return 'changed';
  return null;
}

/**
 * The admission statement: the lease and the caller's `alongside` writes, the day's request
 * (`counted`), the month's reservation (`reserved`, reading `counted`: after it, and only when
 * the day accepted), and a final select that refuses when either returned no row.
 */
function admissionSql(reservation: Reservation, limits: EffectiveLimits, options: AdmitOptions): { sql: string; params: unknown[] } {
  const { user, model, now, servedBy } = options;
  const daily = limits.dailyRequestLimit;
  const monthly = limits.monthlyTokenLimit;
  const reserve = reservation.reservedTokens;
  // What is reserved: nothing when `servedBy` finds its row (the lease and the month alike).
  const served = servedBy ? { sql: `served as (${servedBy.sql}), `, params: servedBy.params } : { sql: '', params: [] };
  const isServed = servedBy ? 'exists (select from served)' : 'false';
  const reserveSql = servedBy ? `(case when ${isServed} then 0 else ?::bigint end)` : '?::bigint';
  const lease = {
    sql: `lease as (
            insert into token_lease (id, user_id, conversation_id, question_id, model, provider, day, month, tokens, prompt_estimate, created_at, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ${reserveSql}, ?, ?, ?))`,
    params: [
      reservation.leaseId,
      user.id,
      options.conversationId ?? null,
      options.questionId ?? null,
      model.id,
      model.provider,
      reservation.day,
      reservation.month,
      reserve,
      options.promptEstimate ?? 0,
      now,
      new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)),
    ],
  };
  const counted = {
    sql: `counted as (
            insert into usage_daily (id, user_id, date, model, provider, requests) values (?, ?, ?, ?, ?, 1)
            on conflict (user_id, date, model) do update set requests = usage_daily.requests + 1
            ${daily === null ? '' : 'where usage_daily.requests < ?'}
            returning requests)`,
    params: [randomUUID(), user.id, reservation.day, model.id, model.provider, ...(daily === null ? [] : [daily])],
  };
  // A reservation larger than the whole budget is refused without trying (an insert would not
  // check it), unless what serves the turn instead is found.
  const overBudget = monthly !== null && reserve > monthly;
  const reserving = monthly !== null && (!overBudget || servedBy !== undefined);
  const reserved = reserving
    ? {
        // Typed: a SELECT's untyped values would be text, which the columns do not take.
        sql: `, reserved as (
                insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens)
                select ?::uuid, ?::uuid, ?::date, ?::varchar, 0::bigint, ${reserveSql} from counted${overBudget ? ` where ${isServed}` : ''}
                on conflict (user_id, month, model) do update set reserved_tokens = usage_monthly.reserved_tokens + excluded.reserved_tokens
                where usage_monthly.tokens + usage_monthly.reserved_tokens + excluded.reserved_tokens <= ?
                returning 1)`,
        params: [randomUUID(), user.id, reservation.month, model.id, reserve, monthly],
      }
    : { sql: '', params: [] };
  // A changed read refuses first: limits are never judged on a reservation made from a stale read.
  const changed = options.unlessChanged ? `when not (${options.unlessChanged.sql}) then atrium_refuse('changed')` : '';
  const verdict =
    monthly === null
      ? daily === null
        ? changed
          ? `select case ${changed} end, (select count(*) from counted)`
          : 'select (select count(*) from counted)'
        : `select case ${changed} when not exists (select from counted) then atrium_refuse('dailyRequests') end`
      : `select case ${changed} when not exists (select from counted) then atrium_refuse('dailyRequests')
                     when ${reserving ? 'not exists (select from reserved)' : 'true'} then atrium_refuse('monthlyTokens') end`;
  const returns = `${servedBy ? ', (select to_json(s) from served s) as atrium_served' : ''}${
    options.alongside?.returns ? `, ${options.alongside.returns} as atrium_returned` : ''
  }`;
  return {
    sql: `with ${served.sql}${lease.sql}${options.alongside ? `, ${options.alongside.sql}` : ''}, ${counted.sql}${reserved.sql} ${verdict}${returns}`,
    params: [...served.params, ...lease.params, ...(options.alongside?.params ?? []), ...counted.params, ...reserved.params, ...(options.unlessChanged?.params ?? [])],
  };
}

async function monthlyTokensUsed(execute: Execute, userId: string, modelId: string, month: string) {
  const rows = await execute<{ used: string | number | null }>(
    'select tokens + reserved_tokens as used from usage_monthly where user_id = ? and model = ? and month = ?',
    [userId, modelId, month],
  );
  return Number(rows[0]?.used ?? 0);
}

export type Settlement =
  | {
      outcome: 'completed';
      promptTokens: number;
      completionTokens: number;
      costMicros: number;
      /** The tokens are our estimate, not the provider's count (a stopped, cut or dead answer). */
      estimated?: boolean;
    }
  | { outcome: 'failed' }
  | { outcome: 'cacheHit' };

/**
 * Turns a reservation into the ledger: reported tokens and cost for a completed answer; for a
 * failure the request is given back and nothing is recorded as used. One statement, so it is
 * atomic on its own; `settlementSql` lets the answer's message ride on the same statement, and
 * `alongside` (common table expressions that read `settled`, so they write after the ledger)
 * other writes that belong with it.
 */
export async function settle(em: EntityManager, reservation: Reservation, settlement: Settlement, alongside?: { sql: string; params: unknown[] } | null) {
  const { sql, params } = settlementSql(reservation, settlement);
  // Bound and sent by the driver, or through `em` when the caller's transaction holds it.
  await directSql(em).execute(`with ${sql}${alongside ? `, ${alongside.sql}` : ''} select count(*) from settled`, [...params, ...(alongside?.params ?? [])]);
}

/**
 * The settlement as the common table expressions of one statement, the last named `settled`:
 * what a statement that also writes the answer puts in front of its own work (reading `settled`
 * so that its own writes come after the ledger's).
 *
 * Order matters, and in one statement it is the reads between the parts that set it: the daily
 * row is updated first, then the month's (it reads `daily`), the order admission takes them, so
 * a settlement and an admission of the same user never wait on each other in a cycle.
 * Releasing the lease and giving its tokens back go together: a lease the sweep already
 * released (its process looked dead) gives nothing back twice. `daily` returns the day's
 * `requests, cache_hits` and `settled` the month's `tokens, reserved_tokens` as they stand after
 * it: the counters the user's quota shows (`QuotaCounters` in usage.service.ts).
 */
export function settlementSql(reservation: Reservation, settlement: Settlement): { sql: string; params: unknown[] } {
  const tokens = settlement.outcome === 'completed' ? settlement.promptTokens + settlement.completionTokens : 0;
  const where = 'where user_id = ? and date = ? and model = ?';
  const key = [reservation.userId, reservation.day, reservation.modelId];
  const daily =
    settlement.outcome === 'completed'
      ? {
          sql: `update usage_daily set prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?, cost_micros = cost_micros + ?,
                  estimated_tokens = estimated_tokens + ?, estimated_cost_micros = estimated_cost_micros + ? ${where}`,
          params: [
            settlement.promptTokens,
            settlement.completionTokens,
            settlement.costMicros,
            settlement.estimated ? tokens : 0,
            settlement.estimated ? settlement.costMicros : 0,
            ...key,
          ],
        }
      : settlement.outcome === 'failed'
        ? { sql: `update usage_daily set requests = greatest(0, requests - 1) ${where}`, params: key }
        : { sql: `update usage_daily set requests = greatest(0, requests - 1), cache_hits = cache_hits + 1 ${where}`, params: key };
  // Typed: a SELECT's untyped values would be text, which the columns do not take.
  const monthlyRow = `select ?::uuid, ?::uuid, ?::date, ?::varchar, ?::bigint, 0::bigint from (select count(*) from daily) as after_daily`;
  const monthly = reservation.leaseId
    ? {
        sql: `released as (delete from token_lease where id = ? returning tokens),
              settled as (
                insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens) ${monthlyRow}
                on conflict (user_id, month, model) do update set
                  tokens = usage_monthly.tokens + excluded.tokens,
                  reserved_tokens = greatest(0, usage_monthly.reserved_tokens - (select coalesce(sum(tokens), 0) from released))
                returning tokens, reserved_tokens)`,
        params: [reservation.leaseId, randomUUID(), reservation.userId, reservation.month, reservation.modelId, tokens],
      }
    : {
        sql: `settled as (
                insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens) ${monthlyRow}
                on conflict (user_id, month, model) do update set
                  tokens = usage_monthly.tokens + excluded.tokens,
                  reserved_tokens = greatest(0, usage_monthly.reserved_tokens - ?)
                returning tokens, reserved_tokens)`,
        params: [randomUUID(), reservation.userId, reservation.month, reservation.modelId, tokens, reservation.reservedTokens],
      };
  return { sql: `daily as (${daily.sql} returning requests, cache_hits), ${monthly.sql}`, params: [...daily.params, ...monthly.params] };
}
