import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Conversation } from './Conversation';
import { Message } from './Message';

/** The rolling summary of a conversation's older messages. */
export const ConversationSummary = defineEntity({
  name: 'ConversationSummary',
  tableName: 'conversation_summaries',
  properties: {
    conversation: () => p.oneToOne(Conversation).primary().owner().deleteRule('cascade'),
    summary: p.text(),
    messageCountAtUpdate: p.integer(),
    lastMessage: () => p.manyToOne(Message).nullable().deleteRule('set null'),
    // Bumped on every refresh so that concurrent refreshes can compare-and-set.
    revision: p.integer().default(1),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IConversationSummary = InferEntity<typeof ConversationSummary>;
