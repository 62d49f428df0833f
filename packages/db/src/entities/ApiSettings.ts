import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jsonWithDefault, notifyPlatformChange, updatedAt, type Role } from './common';

/**
 * Singleton (id 1): how the OpenAI-compatible API and personal keys behave. Which roles may
 * create keys by default (a user's own `createApiKeys` permission beats it), whether API calls
 * get the AI identity and system rules, and whether they are kept as conversations.
 */
export const ApiSettings = defineEntity({
  name: 'ApiSettings',
  tableName: 'api_settings',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    keyRoles: jsonWithDefault<Role[]>(['staff', 'admin']),
    applyIdentity: p.boolean().default(true),
    storeConversations: p.boolean().default(false),
    updatedAt: updatedAt(),
  },
});
export type IApiSettings = InferEntity<typeof ApiSettings>;
