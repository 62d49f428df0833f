import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './common';
import { User } from './User';

export const PREFERENCE_SOURCES = ['explicit', 'inferred'] as const;
/**
 * `suggested`: proposed by the assistant from a conversation, waiting for the user to keep, edit
 * or discard it; it reaches no prompt. `discarded`: the user said no; only the key is kept, so the
 * same memory is not suggested again.
 */
export const PREFERENCE_STATUSES = ['kept', 'suggested', 'discarded'] as const;
export type PreferenceStatus = (typeof PREFERENCE_STATUSES)[number];

/** What the assistant remembers about a user ("user memory"). */
export const UserPreference = defineEntity({
  name: 'UserPreference',
  tableName: 'user_preferences',
  uniques: [{ properties: ['user', 'key'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    key: p.string().length(255),
    value: p.text(),
    category: p.string().length(64).default('general'),
    source: p.enum(PREFERENCE_SOURCES).default('explicit'),
    isActive: p.boolean().default(true),
    status: p.enum(PREFERENCE_STATUSES).default('kept'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type IUserPreference = InferEntity<typeof UserPreference>;
