import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jsonWithDefault, notifyPlatformChange, updatedAt, type Role } from './common';

/**
 * Singleton (id 1): whether the assistant may learn about users from their conversations. For the
 * roles listed, a settled conversation may yield suggested memories (`source = inferred`), which
 * reach no prompt until the user keeps them (or has turned on auto-keep). Nobody by default.
 */
export const MemorySettings = defineEntity({
  name: 'MemorySettings',
  tableName: 'memory_settings',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    learnRoles: jsonWithDefault<Role[]>([]),
    updatedAt: updatedAt(),
  },
});
export type IMemorySettings = InferEntity<typeof MemorySettings>;
