import { Message, Model, type EntityManager, type IMessage, type IUser } from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { INTERRUPTED_MESSAGE, releaseExpiredLeases } from '../usage/leases.service';
import { findOwnConversation } from './conversations.service';
import { runningLeases, type RunningLease } from './relay';

/** How an attached answer ended, as the student sees it. */
export type AttachedStatus = 'completed' | 'aborted' | 'failed' | 'interrupted';

export type AttachedAnswer = {
  conversationId: string;
  lease: RunningLease;
  question: IMessage | null;
  model: { id: string; displayName: string; draws: boolean };
};

/**
 * The answer one of my conversations is waiting for, produced on whichever process: null when
 * none is running (it ended, or never started). Someone else's conversation is not found.
 */
export async function findRunningAnswer(em: EntityManager, user: IUser, conversationId: string): Promise<AttachedAnswer | null> {
  await findOwnConversation(em, user, conversationId);
  const [lease] = await runningLeases(em, user.id, conversationId);
  if (!lease) return null;
  const [question, model] = await Promise.all([
    lease.questionId ? em.findOne(Message, { id: lease.questionId, conversation: conversationId }) : null,
    em.findOne(Model, lease.model),
  ]);
  return { conversationId, lease, question, model: { id: lease.model, displayName: model?.displayName ?? lease.model, draws: model?.supportsImageGeneration ?? false } };
}

/**
 * Follows the answer: its text so far, what arrives, and how it ended. A producer that died is
 * noticed by its lease running out; the reader then releases it (as the sweep would) and ends
 * with the answer saved as interrupted.
 */
export async function* followAnswer(em: EntityManager, config: ServiceConfig, answer: AttachedAnswer, signal?: AbortSignal) {
  const { lease } = answer;
  let shown = '';
  const end = yield* tap(config.relay.follow(
    lease,
    {
      async partialText() {
        const rows = await em.execute<{ partial_text: string }[]>('select partial_text from token_lease where id = ?', [lease.id]);
        return rows[0]?.partial_text ?? null;
      },
      async alive() {
        const rows = await em.execute<{ expires_at: Date | string }[]>('select expires_at from token_lease where id = ?', [lease.id]);
        if (!rows[0]) return false;
        if (new Date(rows[0].expires_at) >= config.now()) return true;
        await releaseExpiredLeases(em.fork(), config.now());
        return (await em.execute('select 1 from token_lease where id = ?', [lease.id])).length > 0;
      },
    },
    signal,
  ), (piece) => (shown += piece));
  if (signal?.aborted) return null;
  const final = await finalAnswer(em.fork(), answer, end.messageId);
  // The lease goes with the answer's save, so a reader can notice the end before the last text
  // signals reach it: the saved answer has the rest.
  const content = final.message?.content ?? '';
  if (content.length > shown.length && content.startsWith(shown)) yield content.slice(shown.length);
  return final;
}

/** Passes `source` through, showing each item to `see`; a reader that leaves early ends the source too. */
async function* tap<T, R>(source: AsyncGenerator<T, R>, see: (item: T) => void): AsyncGenerator<T, R> {
  try {
    for (;;) {
      const step = await source.next();
      if (step.done) return step.value;
      see(step.value);
      yield step.value;
    }
  } finally {
    await source.return(undefined as R);
  }
}

/** The saved answer a followed turn ended with: by id when its producer said, else the newest under its question. */
async function finalAnswer(em: EntityManager, answer: AttachedAnswer, messageId: string | null): Promise<{ status: AttachedStatus; message: IMessage | null; error: string | null }> {
  const conversation = answer.conversationId;
  const message = messageId
    ? await em.findOne(Message, { id: messageId, conversation })
    : answer.lease.questionId
      ? await em.findOne(Message, { conversation, parent: answer.lease.questionId, role: 'assistant', createdAt: { $gte: answer.lease.createdAt } }, { orderBy: { createdAt: 'desc' } })
      : null;
  if (!message) return { status: 'failed', message: null, error: 'The answer failed.' };
  const metadata = message.metadata;
  if (metadata.interrupted === true) return { status: 'interrupted', message, error: INTERRUPTED_MESSAGE };
  if (metadata.aborted === true) return { status: 'aborted', message, error: null };
  if (typeof metadata.error === 'string') return { status: 'failed', message, error: metadata.error };
  return { status: 'completed', message, error: null };
}

/** Whether one of my conversations is waiting for an answer (a page that loads it then attaches). */
export async function isAnswering(em: EntityManager, user: IUser, conversationId: string) {
  await findOwnConversation(em, user, conversationId);
  return { answering: (await runningLeases(em, user.id, conversationId)).length > 0 };
}

/** Stops the answer one of my conversations is waiting for, wherever it is produced. */
export async function stopAnswer(em: EntityManager, config: ServiceConfig, user: IUser, conversationId: string) {
  await findOwnConversation(em, user, conversationId);
  const leases = await runningLeases(em, user.id, conversationId);
  await config.relay.stop(leases.map((lease) => lease.id));
  return { stopping: leases.length > 0 };
}
