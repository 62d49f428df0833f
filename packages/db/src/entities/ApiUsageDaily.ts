import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidPrimaryKey } from './common';
import { ApiKey } from './ApiKey';
import { User } from './User';

/**
 * The API channel of the usage ledger: what each key used per day and model. Every row here is
 * also counted in `usage_daily` (limits see one total); web use is the difference. Erasing a
 * user keeps their rows in the totals, as `usage_daily` does, with no link back to them or the key.
 */
export const ApiUsageDaily = defineEntity({
  name: 'ApiUsageDaily',
  tableName: 'api_usage_daily',
  uniques: [{ properties: ['apiKey', 'date', 'model'] }],
  indexes: [{ properties: ['date'] }],
  properties: {
    id: uuidPrimaryKey(),
    apiKey: () => p.manyToOne(ApiKey).nullable().deleteRule('set null'),
    user: () => p.manyToOne(User).nullable().deleteRule('set null').index(),
    date: p.date(),
    model: p.string().length(128),
    requests: p.integer().default(0),
    promptTokens: p.bigint('number').default(0),
    completionTokens: p.bigint('number').default(0),
    costMicros: p.bigint('number').default(0),
  },
});
export type IApiUsageDaily = InferEntity<typeof ApiUsageDaily>;
