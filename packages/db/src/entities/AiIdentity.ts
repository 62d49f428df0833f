import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { updatedAt, notifyPlatformChange } from './common';

/** Singleton (id 1): who the assistant says it is. */
export const AiIdentity = defineEntity({
  name: 'AiIdentity',
  tableName: 'ai_identity',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    displayName: p.string().length(120).default('Atrium'),
    developerName: p.string().length(200).default('the university'),
    productFamily: p.string().length(120).default('Atrium'),
    shortIntro: p.text().default('I am an AI assistant for students and staff.'),
    forbidProviderMention: p.boolean().default(true),
    // Bumped on every change: cached answers made under an older identity are not served.
    revision: p.integer().default(1),
    updatedAt: updatedAt(),
  },
});
export type IAiIdentity = InferEntity<typeof AiIdentity>;
