import { z } from 'zod';
import { idSchema } from '../../schemas';

const title = z.string().trim().min(1, 'The title cannot be empty.').max(255);
const group = z.string().trim().min(1).max(120).nullable();

export const listConversationsInput = z.object({
  limit: z.number().int().min(1).max(100).default(30),
  cursor: z.object({ updatedAt: z.date(), id: idSchema }).nullish(),
  /** A group name, null for ungrouped only, or absent for all. */
  group: group.optional(),
  /** Searches titles; a search finds archived conversations too. */
  search: z.string().trim().max(200).optional(),
  /** true: pinned only; false: unpinned only; absent: both. */
  pinned: z.boolean().optional(),
  /** true: the archived ones (which otherwise stay out of the list). */
  archived: z.boolean().default(false),
});

export const createConversationInput = z.object({
  title: title.optional(),
  group: group.optional(),
  presetId: idSchema.nullish(),
  modelId: z.string().min(1).max(128).nullish(),
});

export const renameInput = z.object({ id: idSchema, title });
export const pinInput = z.object({ id: idSchema, pinned: z.boolean() });
export const archiveInput = z.object({ id: idSchema, archived: z.boolean() });
export const regroupInput = z.object({ id: idSchema, group });
export const configureInput = z.object({
  id: idSchema,
  presetId: idSchema.nullable().optional(),
  modelId: z.string().min(1).max(128).nullable().optional(),
});

export const messagesInput = z.object({
  conversationId: idSchema,
  limit: z.number().int().min(1).max(200).default(50),
  /** The oldest message of the page shown so far: the next page is the part of the branch above it. */
  cursor: idSchema.nullish(),
});

export const branchInput = z.object({ conversationId: idSchema, messageId: idSchema });

export const sendInput = z.object({
  /** Absent: start a new conversation with this message. */
  conversationId: idSchema.nullish(),
  content: z.string().max(32_000, 'The message is too long.').refine((text) => text.trim().length > 0, 'Write a message first.'),
  modelId: z.string().min(1).max(128).nullish(),
  presetId: idSchema.nullish(),
  /** My uploaded, not yet sent attachments (`POST /api/files`) that go with this message. */
  attachmentIds: z.array(idSchema).max(10, 'At most 10 files can go with one message.').optional(),
  /** Edit an earlier question: the new one starts a branch beside it (the old branch stays). */
  editOf: idSchema.nullish(),
});

export const regenerateInput = z.object({
  conversationId: idSchema,
  modelId: z.string().min(1).max(128).nullish(),
  /** The answer to answer again; absent: the last answer of the viewed branch. */
  messageId: idSchema.nullish(),
});

/** The conversation whose running answer to follow or stop. */
export const attachInput = z.object({ conversationId: idSchema });

export const searchInput = z.object({
  query: z.string().trim().min(1, 'Type something to search for.').max(200),
  limit: z.number().int().min(1).max(50).default(20),
});

export const exportInput = z.object({ id: idSchema, format: z.enum(['markdown', 'json']) });
