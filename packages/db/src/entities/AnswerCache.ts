import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './common';
import { User } from './User';

/** A cached answer to a context-free question; user null means shared between users. */
export const AnswerCache = defineEntity({
  name: 'AnswerCache',
  tableName: 'answer_cache',
  indexes: [{ properties: ['cacheKey', 'user'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).nullable().deleteRule('cascade').index(),
    // Whose question made the entry, shared ones included: erasing them removes it.
    askedBy: () => p.manyToOne(User).nullable().deleteRule('cascade').index(),
    cacheKey: p.string().length(128),
    question: p.text(),
    answer: p.text(),
    model: p.string().length(128),
    hits: p.integer().default(0),
    createdAt: createdAt(),
    expiresAt: p.datetime().index(),
  },
});
export type IAnswerCache = InferEntity<typeof AnswerCache>;
