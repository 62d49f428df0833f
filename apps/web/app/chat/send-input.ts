import type { SendOptions } from './ChatStreams';

/**
 * What `chat.send` is sent for a question. A style left out follows the conversation (its own,
 * else the student's chosen one): a follow-up names none, so it is answered in the style the
 * header shows (picking one there saves it on the conversation). Null would ask for no style.
 */
export function sendInput(options: Pick<SendOptions, 'conversationId' | 'content' | 'modelId' | 'presetId' | 'editOf' | 'attachmentIds'>) {
  return {
    conversationId: options.conversationId ?? null,
    content: options.content,
    modelId: options.modelId ?? null,
    ...(options.presetId !== undefined ? { presetId: options.presetId } : {}),
    editOf: options.editOf ?? null,
    attachmentIds: options.attachmentIds ?? [],
  };
}
