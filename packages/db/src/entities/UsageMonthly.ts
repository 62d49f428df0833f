import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidPrimaryKey } from './common';
import { User } from './User';

/**
 * The monthly token budget per (user, month, model): settled tokens plus tokens reserved by
 * requests in flight. One row, so admission is one conditional UPDATE that parallel requests
 * on any number of servers cannot overrun.
 */
export const UsageMonthly = defineEntity({
  name: 'UsageMonthly',
  tableName: 'usage_monthly',
  uniques: [{ properties: ['user', 'month', 'model'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    // The first day of the month in the accounting time zone.
    month: p.date(),
    model: p.string().length(128),
    tokens: p.bigint('number').default(0),
    reservedTokens: p.bigint('number').default(0),
  },
});
export type IUsageMonthly = InferEntity<typeof UsageMonthly>;
