import { randomBytes } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt } from './common';
import { Conversation } from './Conversation';
import { User } from './User';

/** One message as it was when the snapshot was taken; later edits of the chat never reach it. */
export type SnapshotMessage = { role: 'user' | 'assistant'; content: string; model: string | null; createdAt: string };

/**
 * A read-only copy of the branch a student was viewing, opened by a link. The id is the link:
 * 128 random bits, so links cannot be guessed or walked. The messages are copied, not referenced,
 * so the snapshot stays what was shared while the conversation goes on.
 */
export const SharedSnapshot = defineEntity({
  name: 'SharedSnapshot',
  tableName: 'shared_snapshots',
  indexes: [{ properties: ['owner', 'createdAt'] }],
  properties: {
    id: p
      .string()
      .length(32)
      .primary()
      .onCreate(() => randomBytes(16).toString('base64url')),
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    // Deleting the chat takes its links with it: a student expects a deleted chat to be gone.
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade').index(),
    title: p.string().length(255),
    messages: p.json<SnapshotMessage[]>(),
    // Openable signed out too, and only while an administrator allows public links.
    isPublic: p.boolean().default(false),
    createdAt: createdAt(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ISharedSnapshot = InferEntity<typeof SharedSnapshot>;

/** Singleton (id 1): how sharing behaves. Public links are off until an administrator turns them on. */
export const ShareSettings = defineEntity({
  name: 'ShareSettings',
  tableName: 'share_settings',
  properties: {
    id: p.integer().primary().autoincrement(false),
    allowPublicLinks: p.boolean().default(false),
    updatedAt: updatedAt(),
  },
});
export type IShareSettings = InferEntity<typeof ShareSettings>;
