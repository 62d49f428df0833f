import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PROVIDERS, uuidPrimaryKey } from './common';
import { Conversation } from './Conversation';
import { User } from './User';

/**
 * A leased token reservation: one row per admitted turn, written by admission in the same
 * statements, removed by its settlement. A turn in flight renews the lease (and keeps its partial
 * text here); a lease past `expiresAt` belongs to a process that died, and a sweep on any process
 * gives its tokens back, charges what was streamed, and saves the partial answer as interrupted.
 */
export const TokenLease = defineEntity({
  name: 'TokenLease',
  tableName: 'token_lease',
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The conversation the answer belongs to; null for API calls without one.
    conversation: () => p.manyToOne(Conversation).nullable().deleteRule('cascade'),
    // The question being answered: readers that attach find it, and a dead turn's answer is saved under it.
    questionId: p.uuid().nullable(),
    model: p.string().length(128),
    provider: p.enum(PROVIDERS),
    // The accounting day and month the turn was admitted in (YYYY-MM-DD, first of the month).
    day: p.date(),
    month: p.date(),
    tokens: p.integer(),
    // Our estimate of the prompt, to charge for a turn whose process died before the provider's count.
    promptEstimate: p.integer().default(0),
    partialText: p.text().default(''),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});
export type ITokenLease = InferEntity<typeof TokenLease>;
