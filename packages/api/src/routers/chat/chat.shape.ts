import type { IConversation, IMessage, IPreset } from '@atrium/db';

const refId = (ref: unknown) => (ref as { id: string } | null | undefined)?.id ?? null;

/** What a conversation shows: an entity, or a row read without one (a chat turn's). */
type ConversationFields = Pick<IConversation, 'id' | 'title' | 'group' | 'pinnedAt' | 'archivedAt' | 'createdAt' | 'updatedAt'> & {
  preset: unknown;
  model: unknown;
  activeLeaf: unknown;
};

export const shapeConversation = (conversation: ConversationFields) => ({
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

/** The style's name when the preset was loaded with the message; null without one (or once it is deleted). */
const styleOf = (message: MessageFields) => {
  const preset = message.preset as IPreset | null | undefined;
  return preset && typeof preset.name === 'string' ? { id: preset.id, name: preset.name } : null;
};

/**
 * What a message shows. The model, the style and the marks (estimated, stopped, answered from the
 * cache) go to everyone; tokens and cost only when `showUsage` (see transparency.service.ts), so a
 * user who may not see them never receives them.
 */
/** What a message shows: an entity, or a message a chat turn wrote by its own statement. */
type MessageFields = Pick<IMessage, 'id' | 'role' | 'content' | 'model' | 'promptTokens' | 'completionTokens' | 'costMicros' | 'metadata' | 'createdAt'> & {
  parent: unknown;
  preset: unknown;
};

export const shapeMessage = (message: MessageFields, showUsage: boolean) => ({
  id: message.id,
  parentId: refId(message.parent),
  role: message.role,
  content: message.content,
  model: message.model ?? null,
  style: styleOf(message),
  createdAt: message.createdAt,
  aborted: message.metadata.aborted === true,
  cacheHit: message.metadata.cacheHit === true,
  /** The tokens are our estimate: the provider reported none (a stopped or cut answer). */
  estimated: message.metadata.usageEstimated === true,
  usage:
    showUsage && (message.promptTokens != null || message.completionTokens != null || message.costMicros != null)
      ? { promptTokens: message.promptTokens ?? 0, completionTokens: message.completionTokens ?? 0, costMicros: message.costMicros ?? 0 }
      : null,
  error: typeof message.metadata.error === 'string' ? message.metadata.error : null,
  finishReason: typeof message.metadata.finishReason === 'string' ? message.metadata.finishReason : null,
});
