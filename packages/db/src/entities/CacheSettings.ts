import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { updatedAt, notifyPlatformChange } from './common';

/** Singleton (id 1): whether answers to context-free questions are cached, how long, and for whom. */
export const CacheSettings = defineEntity({
  name: 'CacheSettings',
  tableName: 'cache_settings',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    enabled: p.boolean().default(true),
    ttlSeconds: p.integer().default(86_400),
    // Off: each user's answers are served to that user only. On: one user's answer may serve another.
    shared: p.boolean().default(false),
    updatedAt: updatedAt(),
  },
});
export type ICacheSettings = InferEntity<typeof CacheSettings>;
