import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, jsonObject, uuidPrimaryKey } from './common';
import { Conversation } from './Conversation';
import { Preset } from './Preset';
import { MESSAGE_SEARCH_VECTOR_SQL } from '../search-fold';

export const MESSAGE_ROLES = ['user', 'assistant', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export type MessageMetadata = {
  finishReason?: string;
  aborted?: boolean;
  cacheHit?: boolean;
  latencyMs?: number;
  firstTokenMs?: number | null;
  error?: string;
  [key: string]: unknown;
};

export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  // Siblings (the versions at a fork) are a parent's children in creation order.
  indexes: [
    { properties: ['conversation', 'createdAt', 'id'] },
    { properties: ['parent', 'createdAt', 'id'] },
    // The roots of a conversation (its first questions and their edits) are versions of each other:
    // found without reading the conversation's other messages, however many there are.
    {
      name: 'messages_roots_index',
      expression: 'create index "messages_roots_index" on "messages" ("conversation_id", "created_at", "id") where "parent_id" is null',
    },
    // Full-text search inside messages (see search-fold.ts and the chat search service).
    { name: 'messages_search_index', expression: `create index "messages_search_index" on "messages" using gin (${MESSAGE_SEARCH_VECTOR_SQL})` },
  ],
  properties: {
    id: uuidPrimaryKey(),
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade'),
    // A conversation is a tree: an edited question or a regenerated answer is a new child of the
    // same parent, so every version stays. Deleting a message deletes the branch below it.
    parent: () => p.manyToOne(Message).nullable().deleteRule('cascade'),
    role: p.enum(MESSAGE_ROLES),
    content: p.text(),
    // Model and provider are copied, not referenced: history must survive catalogue changes.
    model: p.string().length(128).nullable(),
    provider: p.string().length(32).nullable(),
    promptTokens: p.integer().nullable(),
    completionTokens: p.integer().nullable(),
    costMicros: p.bigint('number').nullable(),
    preset: () => p.manyToOne(Preset).nullable().deleteRule('set null'),
    metadata: jsonObject<MessageMetadata>(),
    createdAt: createdAt(),
  },
});
export type IMessage = InferEntity<typeof Message>;
