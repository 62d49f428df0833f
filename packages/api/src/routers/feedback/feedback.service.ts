import { randomUUID } from 'node:crypto';
import { Feedback, Message, NotFoundError, type EntityManager, type FEEDBACK_TYPES, type IUser } from '@atrium/db';
import { findOwnConversation } from '../chat/conversations.service';

export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** An answer in one of my conversations, or NOT_FOUND: someone else's message looks like a missing one. */
async function findOwnAnswer(em: EntityManager, user: IUser, messageId: string) {
  const message = await em.findOne(Message, { id: messageId, role: 'assistant', conversation: { user: user.id } });
  if (!message) throw new NotFoundError('No such answer.');
  return message;
}

/**
 * Rates an answer. One rating per user and message: giving another replaces it (one upsert,
 * safe against double clicks), and snapshots the text and model so the rating still says what
 * was rated after the answer is regenerated.
 */
export async function giveFeedback(
  em: EntityManager,
  user: IUser,
  input: { messageId: string; type: FeedbackType; comment?: string | null },
  now: Date,
) {
  const message = await findOwnAnswer(em, user, input.messageId);
  const conversationId = (message.conversation as { id: string }).id;
  await em.execute(
    `insert into feedback (id, user_id, conversation_id, message_id, message_content, model, type, comment, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (user_id, message_id) do update set
       type = excluded.type, comment = excluded.comment, message_content = excluded.message_content,
       model = excluded.model, updated_at = excluded.updated_at`,
    [
      randomUUID(),
      user.id,
      conversationId,
      message.id,
      message.content,
      message.model ?? null,
      input.type,
      input.comment || null,
      now,
      now,
    ],
  );
  return em.findOneOrFail(Feedback, { user: user.id, message: message.id }, { refresh: true });
}

export async function retractFeedback(em: EntityManager, user: IUser, messageId: string) {
  await findOwnAnswer(em, user, messageId);
  return { retracted: (await em.nativeDelete(Feedback, { user: user.id, message: messageId })) > 0 };
}

/** My ratings in one of my conversations, for marking the thumbs in the chat. */
export async function myFeedback(em: EntityManager, user: IUser, conversationId: string) {
  await findOwnConversation(em, user, conversationId);
  return em.find(
    Feedback,
    { user: user.id, conversation: conversationId, message: { $ne: null } },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

export type FeedbackFilters = { model?: string; from?: Date; to?: Date };

function filterWhere(filters: FeedbackFilters & { type?: FeedbackType }) {
  const where: Record<string, unknown> = {};
  if (filters.model) where.model = filters.model;
  if (filters.type) where.type = filters.type;
  if (filters.from || filters.to) {
    where.createdAt = { ...(filters.from ? { $gte: filters.from } : {}), ...(filters.to ? { $lte: filters.to } : {}) };
  }
  return where;
}

export type FeedbackCursor = { createdAt: Date; id: string };

/** Newest first, keyset-paged so that new ratings do not shift the pages. */
export async function listFeedback(
  em: EntityManager,
  query: FeedbackFilters & { type?: FeedbackType; limit: number; cursor?: FeedbackCursor | null },
) {
  const where = filterWhere(query);
  if (query.cursor) {
    where.$or = [
      { createdAt: { $lt: query.cursor.createdAt } },
      { createdAt: query.cursor.createdAt, id: { $lt: query.cursor.id } },
    ];
  }
  const rows = await em.find(Feedback, where, {
    populate: ['user'],
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor: FeedbackCursor | null = rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { items, nextCursor };
}

/** Likes and dislikes per model, counted by the database. */
export async function feedbackStats(em: EntityManager, filters: FeedbackFilters) {
  const clauses: [string, unknown][] = [];
  if (filters.model) clauses.push(['model = ?', filters.model]);
  if (filters.from) clauses.push(['created_at >= ?', filters.from]);
  if (filters.to) clauses.push(['created_at <= ?', filters.to]);
  const conditions = clauses.map(([condition]) => condition);
  const params = clauses.map(([, value]) => value);
  const rows = await em.execute<{ model: string | null; likes: string | number; dislikes: string | number }[]>(
    `select model,
            count(*) filter (where type = 'like') as likes,
            count(*) filter (where type = 'dislike') as dislikes
     from feedback ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
     group by model
     order by count(*) desc, model`,
    params,
  );
  return rows.map((row) => {
    const likes = Number(row.likes);
    const dislikes = Number(row.dislikes);
    return {
      model: row.model,
      likes,
      dislikes,
      total: likes + dislikes,
      likeRatio: likes + dislikes === 0 ? null : likes / (likes + dislikes),
    };
  });
}
