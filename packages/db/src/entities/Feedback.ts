import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './common';
import { Conversation } from './Conversation';
import { Message } from './Message';
import { User } from './User';

export const FEEDBACK_TYPES = ['like', 'dislike'] as const;

export const Feedback = defineEntity({
  name: 'Feedback',
  tableName: 'feedback',
  uniques: [{ properties: ['user', 'message'] }],
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade').index(),
    // Regenerating replaces the rated answer; the rating stays (detached) with its snapshot.
    message: () => p.manyToOne(Message).nullable().deleteRule('set null'),
    // A snapshot, so the admin sees what was rated even if the answer is regenerated.
    messageContent: p.text(),
    model: p.string().length(128).nullable(),
    type: p.enum(FEEDBACK_TYPES),
    comment: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type IFeedback = InferEntity<typeof Feedback>;
