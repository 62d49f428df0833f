import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jsonWithDefault, notifyPlatformChange, updatedAt, type Role } from './common';

/**
 * Singleton (id 1): what a user sees about each answer. The model, style and the estimated /
 * stopped / cached marks are always shown; tokens and cost only to the roles listed here (a
 * user's own `seeAnswerUsage` permission beats their role). Students see no numbers by default.
 */
export const TransparencySettings = defineEntity({
  name: 'TransparencySettings',
  tableName: 'transparency_settings',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    answerUsageRoles: jsonWithDefault<Role[]>(['staff', 'admin']),
    updatedAt: updatedAt(),
  },
});
export type ITransparencySettings = InferEntity<typeof TransparencySettings>;
