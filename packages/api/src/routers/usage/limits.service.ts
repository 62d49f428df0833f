import { randomUUID } from 'node:crypto';
import {
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
   * its daily statement: no round trip of their own, and a refusal rolls them back with the rest.
   */
  alongside?: { sql: string; params: unknown[] };
  /** Writes that belong with the admission but need statements of their own: in its transaction, after both limits passed. */
  alsoWrite?: (tx: EntityManager) => Promise<void>;
};

export const DEFAULT_LEASE_MS = 120_000;

/**
 * Takes one request from today's allowance and reserves tokens from this month's budget, each
 * with a single conditional statement, in one transaction: parallel requests on any number of
 * servers admit exactly as many as the limits allow. A refused turn writes nothing, so `alsoWrite`
 * costs no transaction of its own.
 */
export async function admit(em: EntityManager, options: AdmitOptions): Promise<Reservation> {
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
  // The lease rides on the daily statement (a data-modifying CTE): no extra round trip, and a
  // refused admission rolls it back with everything else.
  const lease = [
    reservation.leaseId,
    user.id,
    options.conversationId ?? null,
    options.questionId ?? null,
    model.id,
    model.provider,
    period.day,
    period.month,
    reservation.reservedTokens,
    options.promptEstimate ?? 0,
    now,
    new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)),
  ];

  const takeAllowance = async (execute: Execute) => {
    const daily = limits.dailyRequestLimit;
    const counted =
      daily !== null && daily <= 0
        ? []
        : await execute<{ requests: number }>(
            `with lease as (
               insert into token_lease (id, user_id, conversation_id, question_id, model, provider, day, month, tokens, prompt_estimate, created_at, expires_at)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             )${options.alongside ? `, ${options.alongside.sql}` : ''}
             insert into usage_daily (id, user_id, date, model, provider, requests) values (?, ?, ?, ?, ?, 1)
             on conflict (user_id, date, model) do update set requests = usage_daily.requests + 1
             ${daily === null ? '' : 'where usage_daily.requests < ?'}
             returning requests`,
            [...lease, ...(options.alongside?.params ?? []), randomUUID(), user.id, period.day, model.id, model.provider, ...(daily === null ? [] : [daily])],
          );
    if (counted.length === 0) {
      admissionsRefused.inc({ reason: 'dailyRequests' });
      throw new LimitExceededError(`You have used all ${daily} requests for ${model.displayName} today.`, {
        limit: 'dailyRequests',
        model: model.id,
        max: daily,
        remaining: 0,
        resetsAt: period.dayResetsAt.toISOString(),
      });
    }

    const monthly = limits.monthlyTokenLimit;
    if (monthly === null) return;
    const reserve = reservation.reservedTokens;
    const reserved =
      reserve > monthly
        ? []
        : await execute<{ tokens: string | number; reserved_tokens: string | number }>(
            `insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens) values (?, ?, ?, ?, 0, ?)
             on conflict (user_id, month, model) do update set reserved_tokens = usage_monthly.reserved_tokens + excluded.reserved_tokens
             where usage_monthly.tokens + usage_monthly.reserved_tokens + excluded.reserved_tokens <= ?
             returning tokens, reserved_tokens`,
            [randomUUID(), user.id, period.month, model.id, reserve, monthly],
          );
    if (reserved.length === 0) {
      const used = await monthlyTokensUsed(execute, user.id, model.id, period.month);
      admissionsRefused.inc({ reason: 'monthlyTokens' });
      throw new LimitExceededError(`You have used this month's token budget for ${model.displayName}.`, {
        limit: 'monthlyTokens',
        model: model.id,
        max: monthly,
        remaining: Math.max(0, monthly - used),
        resetsAt: period.monthResetsAt.toISOString(),
      });
    }
  };
  const { alsoWrite } = options;
  if (alsoWrite) {
    await em.transactional(async (tx) => {
      await takeAllowance((sql, params = []) => tx.execute(sql, [...params]));
      await alsoWrite(tx);
    });
  } else {
    // Bound statements in a plain transaction: the same statements, without the ORM's fork and commit-time change set.
    await directSql(em).transaction(takeAllowance);
  }
  return reservation;
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
 * atomic on its own; `settlementSql` lets the answer's message ride on the same statement.
 */
export async function settle(em: EntityManager, reservation: Reservation, settlement: Settlement) {
  const { sql, params } = settlementSql(reservation, settlement);
  // Bound and sent by the driver, or through `em` when the caller's transaction holds it.
  await directSql(em).execute(`with ${sql} select count(*) from settled`, params);
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
 * released (its process looked dead) gives nothing back twice.
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
                returning 1)`,
        params: [reservation.leaseId, randomUUID(), reservation.userId, reservation.month, reservation.modelId, tokens],
      }
    : {
        sql: `settled as (
                insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens) ${monthlyRow}
                on conflict (user_id, month, model) do update set
                  tokens = usage_monthly.tokens + excluded.tokens,
                  reserved_tokens = greatest(0, usage_monthly.reserved_tokens - ?)
                returning 1)`,
        params: [randomUUID(), reservation.userId, reservation.month, reservation.modelId, tokens, reservation.reservedTokens],
      };
  return { sql: `daily as (${daily.sql} returning 1), ${monthly.sql}`, params: [...daily.params, ...monthly.params] };
}
