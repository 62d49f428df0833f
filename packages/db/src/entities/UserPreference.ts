import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './common';
import { User } from './User';

export const PREFERENCE_SOURCES = ['explicit', 'inferred'] as const;

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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type IUserPreference = InferEntity<typeof UserPreference>;
