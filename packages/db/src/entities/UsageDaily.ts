import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PROVIDERS, ROLES, uuidPrimaryKey } from './common';
import { User } from './User';

/**
 * The usage ledger: one row per (user, day, model). It hangs off the user only, so deleting
 * chats never gives quota back; tokens are what the provider reported. Erasing a user keeps
 * their rows in the totals with no link back: the user becomes null and only the role stays.
 */
export const UsageDaily = defineEntity({
  name: 'UsageDaily',
  tableName: 'usage_daily',
  uniques: [{ properties: ['user', 'date', 'model'] }],
  indexes: [{ properties: ['date', 'model'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).nullable().deleteRule('set null'),
    // Set when the user is erased, so analytics by role still count their usage.
    erasedRole: p.enum(ROLES).nullable(),
    // The day in the configured accounting time zone, as YYYY-MM-DD.
    date: p.date(),
    model: p.string().length(128),
    provider: p.enum(PROVIDERS),
    requests: p.integer().default(0),
    cacheHits: p.integer().default(0),
    promptTokens: p.bigint('number').default(0),
    completionTokens: p.bigint('number').default(0),
    costMicros: p.bigint('number').default(0),
    // The part of the tokens and cost that is our estimate (a stopped, cut or dead answer the provider did not count).
    estimatedTokens: p.bigint('number').default(0),
    estimatedCostMicros: p.bigint('number').default(0),
  },
});
export type IUsageDaily = InferEntity<typeof UsageDaily>;
