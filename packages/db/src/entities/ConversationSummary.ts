import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidPrimaryKey } from './common';
import { Conversation } from './Conversation';
import { Message } from './Message';

/**
 * A rolling summary of a conversation's branch up to and including `lastMessage`. A summary of
 * a path is true for every branch that passes through its last message, so branches share the
 * summaries of their common past and each keeps its own beyond the fork; deleting a branch
 * deletes the summaries that end in it.
 */
export const ConversationSummary = defineEntity({
  name: 'ConversationSummary',
  tableName: 'conversation_summaries',
  properties: {
    id: uuidPrimaryKey(),
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade').index(),
    summary: p.text(),
    /** How long the branch was (messages from the root) when this summary was written. */
    messageCountAtUpdate: p.integer(),
    /** How many messages from the root it covers (up to and including `lastMessage`): a branch's length without walking all of it. */
    coveredCount: p.integer(),
    // One summary per path end: two writers folding the same messages collide here and one wins.
    lastMessage: () => p.manyToOne(Message).deleteRule('cascade').unique(),
    /** 1 for a branch's first summary, one more for each summary folded on top of it. */
    revision: p.integer().default(1),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IConversationSummary = InferEntity<typeof ConversationSummary>;
