import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './common';
import { Message } from './Message';
import { Model } from './Model';
import { Preset } from './Preset';
import { User } from './User';

export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  // The conversation list pages newest first per user (keyset on updatedAt, id), optionally by group.
  indexes: [{ properties: ['user', 'updatedAt', 'id'] }, { properties: ['user', 'group', 'updatedAt'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    title: p.string().length(255).default('New chat'),
    group: p.string().length(120).nullable().fieldName('group_name'),
    preset: () => p.manyToOne(Preset).nullable().deleteRule('set null'),
    model: () => p.manyToOne(Model).nullable().deleteRule('set null'),
    // The leaf of the branch being viewed: what the next question follows and the prompt carries.
    activeLeaf: () => p.manyToOne(Message).nullable().deleteRule('set null'),
    // Pinned conversations lead the sidebar; archived ones leave it (still searchable, restorable).
    pinnedAt: p.datetime().nullable(),
    archivedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type IConversation = InferEntity<typeof Conversation>;
