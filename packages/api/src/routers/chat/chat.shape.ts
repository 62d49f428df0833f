import type { IConversation, IMessage, IPreset, MessageMetadata } from '@atrium/db';

/** The id behind a relation, loaded or a bare reference; null for none. */
export const refId = (ref: unknown) => (ref as { id: string } | null | undefined)?.id ?? null;

/** What a conversation shows, in plain types (no ORM brands), from an entity or from a row. */
export type ConversationView = {
  id: string;
  title: string;
  group: string | null;
  presetId: string | null;
  modelId: string | null;
  activeLeafId: string | null;
  pinned: boolean;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
};

/** The conversation `shapeConversation` takes: an entity, or the row a chat turn read without one. */
type ConversationSource = Pick<IConversation, 'id' | 'title' | 'group' | 'pinnedAt' | 'archivedAt' | 'createdAt' | 'updatedAt'> & {
  preset: unknown;
  model: unknown;
  activeLeaf: unknown;
};

export const shapeConversation = (conversation: ConversationSource): ConversationView => ({
  id: conversation.id,
  title: conversation.title,
  group: conversation.group ?? null,
  presetId: refId(conversation.preset),
  modelId: refId(conversation.model),
  activeLeafId: refId(conversation.activeLeaf),
  pinned: conversation.pinnedAt != null,
  archived: conversation.archivedAt != null,
  createdAt: conversation.createdAt,
  updatedAt: conversation.updatedAt,
});

/** The columns a listed conversation shows (shapeConversationRow), read as they are. */
export const LISTED_COLUMNS = 'id, title, group_name, preset_id, model_id, active_leaf_id, pinned_at, archived_at, created_at, updated_at';

/** A conversation as the list reads it (conversations.service.ts): timestamps as the driver gives them. */
export type ConversationRow = {
  id: string;
  title: string;
  group_name: string | null;
  preset_id: string | null;
  model_id: string | null;
  active_leaf_id: string | null;
  pinned_at: string | Date | null;
  archived_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
};

export const shapeConversationRow = (row: ConversationRow): ConversationView => ({
  id: row.id,
  title: row.title,
  group: row.group_name,
  presetId: row.preset_id,
  modelId: row.model_id,
  activeLeafId: row.active_leaf_id,
  pinned: row.pinned_at != null,
  archived: row.archived_at != null,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** The message `shapeMessage` takes: an entity, or a message a chat turn wrote by its own statement. */
type MessageSource = Pick<IMessage, 'id' | 'role' | 'content' | 'model' | 'promptTokens' | 'completionTokens' | 'costMicros' | 'metadata' | 'createdAt'> & {
  parent: unknown;
  preset: unknown;
};

/** The style's name when the preset was loaded with the message; null without one (or once it is deleted). */
const styleOf = (message: MessageSource) => {
  const preset = message.preset as IPreset | null | undefined;
  return preset && typeof preset.name === 'string' ? { id: preset.id, name: preset.name } : null;
};

/** What a shown message is made of, from an entity or straight from a row (the page statement, tree.service.ts). */
export type MessageFields = Pick<IMessage, 'id' | 'role' | 'content' | 'promptTokens' | 'completionTokens' | 'costMicros' | 'createdAt'> & {
  parentId: string | null;
  model: string | null;
  style: { id: string; name: string } | null;
  metadata: MessageMetadata;
};

/**
 * What a message shows. The model, the style and the marks (estimated, stopped, answered from the
 * cache) go to everyone; tokens and cost only when `showUsage` (see transparency.service.ts), so a
 * user who may not see them never receives them.
 */
export const shapeMessage = (message: MessageSource, showUsage: boolean): MessageView =>
  shapeMessageFields(
    {
      id: message.id,
      parentId: refId(message.parent),
      role: message.role,
      content: message.content,
      model: message.model ?? null,
      style: styleOf(message),
      createdAt: message.createdAt,
      metadata: message.metadata,
      promptTokens: message.promptTokens,
      completionTokens: message.completionTokens,
      costMicros: message.costMicros,
    },
    showUsage,
  );

/** What clients see of a message: plain values, so clients' types do not name the ORM's. */
export type MessageView = {
  id: string;
  parentId: string | null;
  role: IMessage['role'];
  content: string;
  model: string | null;
  style: { id: string; name: string } | null;
  createdAt: Date;
  aborted: boolean;
  cacheHit: boolean;
  /** The tokens are our estimate: the provider reported none (a stopped or cut answer). */
  estimated: boolean;
  usage: { promptTokens: number; completionTokens: number; costMicros: number } | null;
  error: string | null;
  finishReason: string | null;
};

export const shapeMessageFields = (message: MessageFields, showUsage: boolean): MessageView => ({
  id: message.id,
  parentId: message.parentId,
  role: message.role,
  content: message.content,
  model: message.model,
  style: message.style,
  createdAt: message.createdAt,
  aborted: message.metadata.aborted === true,
  cacheHit: message.metadata.cacheHit === true,
  estimated: message.metadata.usageEstimated === true,
  usage:
    showUsage && (message.promptTokens != null || message.completionTokens != null || message.costMicros != null)
      ? { promptTokens: message.promptTokens ?? 0, completionTokens: message.completionTokens ?? 0, costMicros: message.costMicros ?? 0 }
      : null,
  error: typeof message.metadata.error === 'string' ? message.metadata.error : null,
  finishReason: typeof message.metadata.finishReason === 'string' ? message.metadata.finishReason : null,
});
