import type { EntityManager } from '@atrium/db';

/**
 * How much of a month's usage is our estimate rather than the provider's count (answers stopped,
 * cut by the upstream, or left by a dead process before the provider reported usage).
 */
export async function estimatedShare(em: EntityManager, month: string) {
  const [row] = await em.execute<{ tokens: string | null; cost: string | null; estimated_tokens: string | null; estimated_cost: string | null }[]>(
    `select sum(prompt_tokens + completion_tokens) as tokens, sum(cost_micros) as cost,
            sum(estimated_tokens) as estimated_tokens, sum(estimated_cost_micros) as estimated_cost
       from usage_daily where date >= ?::date and date < (?::date + interval '1 month')`,
    [month, month],
  );
  const tokens = Number(row?.tokens ?? 0);
  const costMicros = Number(row?.cost ?? 0);
  const estimatedTokens = Number(row?.estimated_tokens ?? 0);
  const estimatedCostMicros = Number(row?.estimated_cost ?? 0);
  return {
    month,
    tokens,
    costMicros,
    estimatedTokens,
    estimatedCostMicros,
    /** The estimated part of the cost (of the tokens when nothing was priced); null for an empty month. */
    share: costMicros > 0 ? estimatedCostMicros / costMicros : tokens > 0 ? estimatedTokens / tokens : null,
  };
}
