import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROLES, uuidPrimaryKey, notifyPlatformChange } from './common';
import { Model } from './Model';

/** Per (model, role) limits; null means unlimited. A user's `limits` JSON overrides them. */
export const ModelRateLimit = defineEntity({
  name: 'ModelRateLimit',
  tableName: 'model_rate_limits',
  triggers: [notifyPlatformChange()],
  uniques: [{ properties: ['model', 'role'] }],
  properties: {
    id: uuidPrimaryKey(),
    model: () => p.manyToOne(Model).deleteRule('cascade'),
    role: p.enum(ROLES),
    dailyRequestLimit: p.integer().nullable(),
    monthlyTokenLimit: p.bigint('number').nullable(),
  },
});
export type IModelRateLimit = InferEntity<typeof ModelRateLimit>;
