import type { IConversation, IMessage } from '@atrium/db';

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

export const shapeMessage = (message: IMessage) => ({
  id: message.id,
  parentId: refId(message.parent),
  role: message.role,
  content: message.content,
  model: message.model ?? null,
  createdAt: message.createdAt,
  promptTokens: message.promptTokens ?? null,
  completionTokens: message.completionTokens ?? null,
  aborted: message.metadata.aborted === true,
  cacheHit: message.metadata.cacheHit === true,
  error: typeof message.metadata.error === 'string' ? message.metadata.error : null,
  finishReason: typeof message.metadata.finishReason === 'string' ? message.metadata.finishReason : null,
});
