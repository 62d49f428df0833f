import { costMicros, fallbackTitle, generateTitle } from '@atrium/ai';
import { asJson, Conversation, directSql, Model, type EntityManager, type IMessage, type IModel } from '@atrium/db';
import { z } from 'zod';
import type { ServiceConfig } from '../../context';
import { defineJob, type JobQueue } from '../../jobs/runner';
import { enqueueLearning } from '../preferences/learning.job';
import { loadCacheSettings, recordCacheHit, storeAnswer } from '../cache/cache.service';
import { refreshSummary } from '../summaries/summaries.service';
import { modelCatalog } from '../../platform/platform.parts';
import { settlementSql, type Reservation } from '../usage/limits.service';

export const DEFAULT_TITLE = 'New chat';

// Job payloads carry the ids of rows, never the conversation's text nor who the user is: finished
// jobs are kept for days, and erasing a user must leave nothing that points at them. The user is
// found through the conversation (gone with it).
const turnSchema = z.object({
  conversationId: z.uuid(),
  userMessageId: z.string(),
  assistantMessageId: z.string(),
  modelId: z.string(),
  /** The turn's accounting day and month: after-work tokens are metered to them. */
  day: z.string(),
  month: z.string(),
});
type TurnData = z.infer<typeof turnSchema>;

/** The usage key after-work settles its tokens against: the turn's user, day and model, nothing reserved. */
const meteringFor = (data: Pick<TurnData, 'day' | 'month'>, userId: string, model: Pick<IModel, 'id' | 'provider'>): Reservation => ({
  userId,
  modelId: model.id,
  provider: model.provider,
  day: data.day,
  month: data.month,
  reservedTokens: 0,
  leaseId: null,
});

type TurnRow = { title: string; user_id: string; question: string; answer: string; answer_metadata: IMessage['metadata'] | string };

/**
 * The messages of a finished turn, or null when the chat was deleted meanwhile (nothing left to
 * do). Read only, so one hand-written statement, not three entity loads into the identity map;
 * the model from the catalogue in memory (platform.parts.ts), disabled ones included.
 */
async function loadTurn(em: EntityManager, data: TurnData) {
  const [[row], catalog] = await Promise.all([
    directSql(em).execute<TurnRow>(
      `select c.title, c.user_id, q.content as question, a.content as answer, a.metadata as answer_metadata
       from conversations c
       join messages q on q.id = ? and q.conversation_id = c.id
       join messages a on a.id = ? and a.conversation_id = c.id
       where c.id = ?`,
      [data.userMessageId, data.assistantMessageId, data.conversationId],
    ),
    modelCatalog(em),
  ]);
  const model = catalog.find((entry) => entry.id === data.modelId);
  if (!row || !model) return null;
  const metadata = asJson(row.answer_metadata);
  return {
    conversation: { title: row.title },
    question: { content: row.question },
    answer: { content: row.answer, metadata },
    model,
    userId: row.user_id,
  };
}

/**
 * Names a new conversation after its first complete exchange; the title call's tokens are
 * recorded too. A cached answer is titled from the question: a hit makes no upstream call.
 * Safe to retry: the title is only written over the default one.
 */
export const titleJob = defineJob({
  name: 'chat.title',
  data: turnSchema,
  retry: { limit: 3, delaySeconds: 5 },
  concurrency: 4,
  async run(data, { em, config }) {
    const turn = await loadTurn(em, data);
    if (!turn || turn.conversation.title !== DEFAULT_TITLE) return;
    // A cache hit made no upstream call, and a drawing model cannot write titles: both are titled from the question.
    const title = turn.answer.metadata.cacheHit || turn.model.supportsImageGeneration
      ? { title: fallbackTitle(turn.question.content), usage: null }
      : await generateTitle({
          model: turn.model,
          settings: config.providers,
          userMessage: turn.question.content,
          answer: turn.answer.content,
          timeoutMs: config.llm.timeoutMs,
        });
    // Bound statements, a transaction only when the title's tokens are recorded with it.
    const usage = title.usage;
    const rename = `update conversations set title = ? where id = ? and title = ? returning id`;
    const renameParams = [title.title, data.conversationId, DEFAULT_TITLE];
    if (!usage) {
      await directSql(em).execute(rename, renameParams);
      return;
    }
    await directSql(em).transaction(async (execute) => {
      const renamed = await execute(rename, renameParams);
      if (renamed.length === 0) return;
      const ledger = settlementSql(meteringFor(data, turn.userId, turn.model), {
        outcome: 'completed',
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        costMicros: costMicros(turn.model, usage),
      });
      await execute(`with ${ledger.sql} select count(*) from settled`, ledger.params);
    });
  },
});

/** Folds older messages into the rolling summary when it is due (see summaries.service). */
export const summaryJob = defineJob({
  name: 'chat.summary',
  // The answer is the end of the branch to summarise: each branch has summaries of its own.
  data: turnSchema.pick({ conversationId: true, assistantMessageId: true, modelId: true, day: true, month: true }),
  retry: { limit: 3, delaySeconds: 30 },
  async run(data, { em, config }) {
    const [model, conversation] = await Promise.all([em.findOne(Model, data.modelId), em.findOne(Conversation, data.conversationId)]);
    if (!model || !conversation) return;
    const userId = conversation.user.id;
    await refreshSummary(em, {
      conversationId: data.conversationId,
      leafId: data.assistantMessageId,
      model,
      reservation: meteringFor(data, userId, model),
      config,
    });
  },
});

/** Keeps a complete answer to a context-free question in the answer cache, under the key its lookup used. */
export const cacheStoreJob = defineJob({
  name: 'cache.store',
  data: turnSchema.extend({ cacheKey: z.string().regex(/^[0-9a-f]{64}$/) }),
  retry: { limit: 3, delaySeconds: 10 },
  async run(data, { em, config }) {
    // The user is there while the conversation is (erasure removes both).
    const turn = await loadTurn(em, data);
    if (!turn) return;
    const settings = await loadCacheSettings(em);
    if (!settings.enabled) return;
    await storeAnswer(em, {
      key: data.cacheKey,
      settings,
      user: { id: turn.userId },
      question: turn.question.content,
      answer: turn.answer.content,
      modelId: turn.model.id,
      now: config.now(),
    });
  },
});

/** Counts one more answer served from a cache entry. */
export const cacheHitJob = defineJob({
  name: 'cache.hit',
  data: z.object({ entryId: z.string() }),
  retry: { limit: 5, delaySeconds: 5 },
  async run(data, { em }) {
    await recordCacheHit(em, data.entryId);
  },
});

export const chatJobs = [titleJob, summaryJob, cacheStoreJob, cacheHitJob];

export type AfterTurn = {
  conversationId: string;
  conversationTitle: string;
  isNew: boolean;
  model: IModel;
  reservation: Reservation;
  userMessageId: string;
  /** The saved answer, when there is one. */
  answer: { id: string; status: 'completed' | 'aborted' | 'failed'; finishReason: string | null } | null;
  cache: { key: string; hitId: string | null } | null;
  /** Set when the assistant may learn about the turn's user: when learning is due. */
  learn?: Pick<ServiceConfig, 'memorySettleMs' | 'now'> | null;
  /**
   * False when the turn's branch stays shorter than a summary needs (the turn read its length
   * with the history): the summary job would find nothing due, so it is not enqueued.
   */
  summaryDue?: boolean;
};

/**
 * Enqueues the turn's after-work (title, cache, summary), each once per answer: a job survives
 * a restart and runs on whichever replica is free. The title goes first, as the sidebar waits for it.
 */
export async function enqueueAfterTurn(jobs: JobQueue, turn: AfterTurn) {
  const { answer, reservation } = turn;
  if (!answer) return;
  const period = { modelId: turn.model.id, day: reservation.day, month: reservation.month };
  const ids = { conversationId: turn.conversationId, userMessageId: turn.userMessageId, assistantMessageId: answer.id, ...period };
  const once = answer.id;
  if (answer.status === 'completed' && (turn.isNew || turn.conversationTitle === DEFAULT_TITLE)) {
    await jobs.enqueue(titleJob, ids, { once });
  }
  if (turn.cache?.hitId) await jobs.enqueue(cacheHitJob, { entryId: turn.cache.hitId }, { once });
  else if (turn.cache && answer.status === 'completed' && answer.finishReason === 'stop') {
    await jobs.enqueue(cacheStoreJob, { ...ids, cacheKey: turn.cache.key }, { once });
  }
  // Once the conversation has been quiet a while, it may teach the assistant durable facts about its user.
  if (turn.learn && answer.status === 'completed' && !turn.cache?.hitId && turn.model.provider !== 'demo' && !turn.model.supportsImageGeneration) {
    await enqueueLearning(jobs, turn.learn, { conversationId: turn.conversationId, leafId: answer.id, modelId: turn.model.id });
  }
  // A drawing model cannot summarise: its turns are folded in by the next text model's summary.
  if (answer.status !== 'failed' && !turn.model.supportsImageGeneration && turn.summaryDue !== false) {
    await jobs.enqueue(summaryJob, { conversationId: turn.conversationId, assistantMessageId: answer.id, ...period }, { once });
  }
}
