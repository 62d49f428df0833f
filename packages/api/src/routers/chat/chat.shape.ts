import type { IConversation, IMessage, IPreset, MessageMetadata } from '@atrium/db';

const refId = (ref: unknown) => (ref as { id: string } | null | undefined)?.id ?? null;

export const shapeConversation = (conversation: IConversation) => ({
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
const styleOf = (message: IMessage) => {
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
export const shapeMessage = (message: IMessage, showUsage: boolean) =>
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

export const shapeMessageFields = (message: MessageFields, showUsage: boolean) => ({
  id: message.id,
  parentId: message.parentId,
  role: message.role,
  content: message.content,
  model: message.model,
  style: message.style,
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
