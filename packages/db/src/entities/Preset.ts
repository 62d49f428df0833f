import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './common';
import { Model } from './Model';
import { User } from './User';

/** A global preset (admin-made, owner null) or a user's own custom style. */
export const Preset = defineEntity({
  name: 'Preset',
  tableName: 'presets',
  indexes: [{ properties: ['isGlobal'] }],
  properties: {
    id: uuidPrimaryKey(),
    name: p.string().length(120),
    description: p.text().nullable(),
    systemPromptTemplate: p.text(),
    temperature: p.double().nullable(),
    maxTokens: p.integer().nullable(),
    model: () => p.manyToOne(Model).nullable().deleteRule('set null'),
    isGlobal: p.boolean().default(false),
    owner: () => p.manyToOne(User).nullable().deleteRule('cascade').index(),
    // A global preset only users whose `unlocks` hold this key see and use (null: everyone).
    requiredUnlock: p.string().length(64).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type IPreset = InferEntity<typeof Preset>;
