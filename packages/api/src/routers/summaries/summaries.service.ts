import { recordAudit } from '@atrium/auth';
import { costMicros, generateSummary } from '@atrium/ai';
import {
  ConversationSummary,
  Message,
  SINGLETON_ID,
  SummarySettings,
  UpstreamError,
  type EntityManager,
  type IMessage,
  type IModel,
  type IUser,
} from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { findOwnConversation } from '../chat/conversations.service';
import { summarySettings, type SummarySettingsFields } from '../../platform/platform.parts';
import { settle, type Reservation } from '../usage/limits.service';

export type { SummarySettingsFields };

/** At most this many messages are folded into a summary in one call; a backlog is caught up over later turns. */
const MAX_FOLD_MESSAGES = 100;

/** The singleton entity, for an admin's change; inserted with the column defaults if no seed ever ran. */
async function settingsRow(em: EntityManager) {
  const row = await em.findOne(SummarySettings, SINGLETON_ID);
  if (row) return row;
  await em.execute('insert into summary_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [
    SINGLETON_ID,
    new Date(),
  ]);
  return em.findOneOrFail(SummarySettings, SINGLETON_ID);
}

/** Read from memory (see platform.cache.ts): every turn needs them, admins rarely change them. */
export async function loadSummarySettings(em: EntityManager): Promise<SummarySettingsFields & { updatedAt: Date }> {
  const { enabled, firstThreshold, updateStep, maxMessages, updatedAt } = await summarySettings(em);
  return { enabled, firstThreshold, updateStep, maxMessages, updatedAt };
}

export async function updateSummarySettings(em: EntityManager, admin: IUser, fields: SummarySettingsFields) {
  return em.transactional(async (tx) => {
    const row = await settingsRow(tx);
    const { enabled, firstThreshold, updateStep, maxMessages } = row;
    recordAudit(tx, admin.id, 'summarySettings.update', null, {
      from: { enabled, firstThreshold, updateStep, maxMessages },
      to: fields,
    });
    tx.assign(row, fields);
    await tx.flush();
    return loadSummarySettings(tx);
  });
}

/** The summary of one of my conversations (null while it has none); NOT_FOUND for anyone else's. */
export async function findOwnSummary(em: EntityManager, user: IUser, conversationId: string) {
  await findOwnConversation(em, user, conversationId);
  return em.findOne(ConversationSummary, { conversation: conversationId });
}

const after = (message: IMessage) => ({
  $or: [{ createdAt: { $gt: message.createdAt } }, { createdAt: message.createdAt, id: { $gt: message.id } }],
});

/**
 * What the next prompt carries of a conversation, oldest first. With a summary: the summary
 * and the messages after the newest one it covers, at most `maxMessages + updateStep` (that is
 * how many accumulate between two refreshes, so nothing falls between summary and history; if
 * refreshes keep failing, the oldest are dropped and the prompt still stays bounded). Without
 * one (or with summaries off): the newest `limit` messages.
 */
export async function historyWindow(em: EntityManager, conversationId: string, limit: number) {
  const settings = await loadSummarySettings(em);
  const summary = settings.enabled
    ? await em.findOne(ConversationSummary, { conversation: conversationId }, { populate: ['lastMessage'] })
    : null;
  const covered = summary?.lastMessage ?? null;
  const messages = await em.find(
    Message,
    covered ? { conversation: conversationId, ...after(covered) } : { conversation: conversationId },
    {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: summary ? settings.maxMessages + settings.updateStep : limit,
    },
  );
  return { summary: summary?.summary ?? null, messages: messages.reverse() };
}

export type SummaryRefresh = 'disabled' | 'not-due' | 'created' | 'refreshed' | 'superseded' | 'failed';

export type RefreshSummaryInput = {
  conversationId: string;
  /** The conversation's model: the summary is written by the model that answers. */
  model: IModel;
  /** The turn's reservation: the summary's tokens are metered to the same user, day and model. */
  reservation: Reservation;
  config: ServiceConfig;
};

/**
 * Summarises the conversation's older messages (all but the newest `maxMessages`) once it
 * reaches `firstThreshold` messages, and folds newer ones in every `updateStep` messages.
 * Replicas may race: the first summary is an insert that ignores a conflict, a refresh is a
 * compare-and-set on `revision`, so exactly one write wins and the loser changes nothing. An
 * upstream failure leaves the previous summary in place.
 */
export async function refreshSummary(em: EntityManager, input: RefreshSummaryInput): Promise<SummaryRefresh> {
  const settings = await loadSummarySettings(em);
  if (!settings.enabled) return 'disabled';
  const count = await em.count(Message, { conversation: input.conversationId });
  const current = await em.findOne(
    ConversationSummary,
    { conversation: input.conversationId },
    { populate: ['lastMessage'] },
  );
  const due = current ? count >= current.messageCountAtUpdate + settings.updateStep : count >= settings.firstThreshold;
  if (!due) return 'not-due';

  const fold = await messagesToFold(em, input.conversationId, current?.lastMessage ?? null, settings.maxMessages);
  const newest = fold.at(-1);
  if (!newest) return 'not-due';

  let generated;
  try {
    generated = await generateSummary({
      model: input.model,
      settings: input.config.providers,
      previousSummary: current?.summary ?? null,
      messages: fold.map(({ role, content }) => ({ role, content })),
      timeoutMs: input.config.llm.timeoutMs,
    });
  } catch (error) {
    // The provider's trouble is the answer's business, not the log's: the old summary stays.
    if (error instanceof UpstreamError) return 'failed';
    throw error;
  }

  const now = input.config.now();
  return em.transactional(async (tx) => {
    const written = current
      ? await tx.execute<{ revision: number }[]>(
          `update conversation_summaries
             set summary = ?, message_count_at_update = ?, last_message_id = ?, revision = revision + 1, updated_at = ?
           where conversation_id = ? and revision = ?
           returning revision`,
          [generated.summary, count, newest.id, now, input.conversationId, current.revision],
        )
      : await tx.execute<{ revision: number }[]>(
          `insert into conversation_summaries (conversation_id, summary, message_count_at_update, last_message_id, revision, updated_at)
           select ?, ?, ?, ?, 1, ? where exists (select 1 from conversations where id = ?)
           on conflict (conversation_id) do nothing
           returning revision`,
          [input.conversationId, generated.summary, count, newest.id, now, input.conversationId],
        );
    // The call was made either way: its tokens are used whether or not this write won.
    if (generated.usage) {
      await settle(
        tx,
        { ...input.reservation, reservedTokens: 0 },
        {
          outcome: 'completed',
          promptTokens: generated.usage.promptTokens,
          completionTokens: generated.usage.completionTokens,
          costMicros: costMicros(input.model, generated.usage),
        },
      );
    }
    if (written.length === 0) return 'superseded';
    return current ? 'refreshed' : 'created';
  });
}

/** The messages after the summarised ones, except the newest `keep`, oldest first. */
async function messagesToFold(em: EntityManager, conversationId: string, covered: IMessage | null, keep: number) {
  const rows = await em.find(
    Message,
    covered ? { conversation: conversationId, ...after(covered) } : { conversation: conversationId },
    {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: MAX_FOLD_MESSAGES + keep,
    },
  );
  return rows.slice(0, Math.max(0, Math.min(MAX_FOLD_MESSAGES, rows.length - keep)));
}
