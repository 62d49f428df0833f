import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { updatedAt, notifyPlatformChange } from './common';

export const SINGLETON_ID = 1;

/** Singleton (id 1): when conversations get summarized. */
export const SummarySettings = defineEntity({
  name: 'SummarySettings',
  tableName: 'summary_settings',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    enabled: p.boolean().default(true),
    firstThreshold: p.integer().default(20),
    updateStep: p.integer().default(10),
    maxMessages: p.integer().default(12),
    updatedAt: updatedAt(),
  },
});
export type ISummarySettings = InferEntity<typeof SummarySettings>;
