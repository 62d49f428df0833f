import { randomUUID } from 'node:crypto';
import { recordAudit } from '@atrium/auth';
import { costMicros, generateSummary } from '@atrium/ai';
import {
  ConversationSummary,
  directSql,
  SINGLETON_ID,
  SummarySettings,
  UpstreamError,
  type EntityManager,
  type MessageRole,
  type IModel,
  type IUser,
} from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { findOwnConversation } from '../chat/conversations.service';
import { summarySettings, type SummarySettingsFields } from '../../platform/platform.parts';
import { refId } from '../chat/chat.shape';
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

/** The summary of the branch I am viewing in one of my conversations (null while it has none); NOT_FOUND for anyone else's. */
export async function findOwnSummary(em: EntityManager, user: IUser, conversationId: string) {
  const conversation = await findOwnConversation(em, user, conversationId);
  const leafId = refId(conversation.activeLeaf);
  if (!leafId) return null;
  const { summary } = await branchState(em, conversationId, leafId);
  return summary ? em.findOne(ConversationSummary, summary.id) : null;
}

/** A row of the branch walk (`branchWalk`): one message, with the summary that ends at it on the last row. */
export type BranchRow = {
  message_id: string;
  role: MessageRole;
  content: string;
  summary_id: string | null;
  summary: string | null;
  message_count_at_update: number | null;
  covered_count: number | null;
  revision: number | null;
  last_message_id: string | null;
  has_documents: boolean;
};

/**
 * The branch ending at the message `from` names (a table expression, without parameters, of one
 * row of `id` and `conversation_id`; none, or a null id, for an empty branch), leaf first: a
 * recursive common table expression `branch` to select `BRANCH_COLUMNS` from (joined as `b`, its
 * summary as `s`), its parameters in `params`. With summaries on it stops at the newest summary:
 * the one ending at the deepest message of the branch that has one, so a long branch costs no
 * more than the messages since its last summary. A summary of a shared past serves every branch
 * through it; one written on another branch is never on this path. With them off it reads the
 * newest `limit` messages and no summary.
 */
export function branchWalk(from: string, walk: { summaries: boolean; limit: number }) {
  const summaryAt = `case when ?::boolean then (select s.id from conversation_summaries s where s.last_message_id = m.id) end`;
  return {
    sql: `branch (id, parent_id, role, content, depth, summary_id) as (
       select m.id, m.parent_id, m.role, m.content, 1, ${summaryAt}
       from ${from} f join messages m on m.id = f.id and m.conversation_id = f.conversation_id
       union all
       select m.id, m.parent_id, m.role, m.content, b.depth + 1, ${summaryAt}
       from messages m join branch b on m.id = b.parent_id where b.summary_id is null and b.depth < ?
     )`,
    params: [walk.summaries, walk.summaries, Math.min(walk.limit, 2_147_483_647)],
  };
}

/** What a statement selects of `branchWalk`'s rows (`branch b left join conversation_summaries s on s.id = b.summary_id`, ordered by `b.depth`). */
export const BRANCH_COLUMNS = `b.id as message_id, b.role, b.content, s.id as summary_id, s.summary, s.message_count_at_update, s.covered_count, s.revision, s.last_message_id,
       -- Whether the prompt must read documents sent with it: most questions have none, and then no query asks.
       b.role = 'user' and exists (select 1 from attachments a where a.message_id = b.id and a.type = 'document' and a.status = 'ready') as has_documents`;

/** The branch's rows (leaf first) as its uncovered messages and its newest summary. */
function branchStateOf(rows: readonly BranchRow[]) {
  const covered = rows.at(-1)?.summary_id ? rows.at(-1)! : null;
  const uncovered = (covered ? rows.slice(0, -1) : rows).map((row) => ({ id: row.message_id, role: row.role, content: row.content, hasDocuments: row.has_documents }));
  const summary = covered
    ? {
        id: covered.summary_id!,
        summary: covered.summary!,
        messageCountAtUpdate: Number(covered.message_count_at_update),
        coveredCount: Number(covered.covered_count),
        revision: Number(covered.revision),
        lastMessageId: covered.last_message_id!,
      }
    : null;
  return {
    /** The messages not covered by the summary, newest first (what a prompt or a fold needs of them). */
    uncovered,
    /** The branch's length from the root. */
    length: uncovered.length + (summary?.coveredCount ?? 0),
    summary,
  };
}

/** The walk of the branch ending at `leafId` (none for null) as rows, in one statement. */
async function walkBranch(em: EntityManager, conversationId: string, leafId: string | null, walk: { summaries: boolean; limit: number }) {
  if (!leafId) return [];
  const branch = branchWalk('leaf', walk);
  // Bound and sent by the driver; through `em` inside a transaction.
  return directSql(em).execute<BranchRow>(
    `with recursive leaf (id, conversation_id) as (select ?::uuid, ?::uuid), ${branch.sql}
     select ${BRANCH_COLUMNS}
     from branch b left join conversation_summaries s on s.id = b.summary_id
     order by b.depth`,
    [leafId, conversationId, ...branch.params],
  );
}

/** The branch ending at `leafId`, leaf first, up to its newest summary (see `branchWalk`). */
async function branchState(em: EntityManager, conversationId: string, leafId: string) {
  return branchStateOf(await walkBranch(em, conversationId, leafId, { summaries: true, limit: Number.MAX_SAFE_INTEGER }));
}

/** How a turn walks its branch under `settings`: to the newest summary, or the newest `limit` messages with summaries off. */
export const historyWalk = (settings: SummarySettingsFields, limit: number) =>
  settings.enabled ? { summaries: true, limit: Number.MAX_SAFE_INTEGER } : { summaries: false, limit };

/**
 * What the next prompt carries of the branch ending at `leafId`, oldest first. With a summary:
 * the summary and the messages after the newest one it covers, at most `maxMessages +
 * updateStep` (that is how many accumulate between two refreshes, so nothing falls between
 * summary and history; if refreshes keep failing, the oldest are dropped and the prompt still
 * stays bounded). Without one (or with summaries off): the newest `limit` messages.
 */
export async function historyWindow(
  em: EntityManager,
  conversationId: string,
  leafId: string | null,
  limit: number,
): Promise<{ summary: string | null; messages: HistoryMessage[]; summaryDue: SummaryDue }> {
  const settings = await loadSummarySettings(em);
  return historyWindowOf(settings, await walkBranch(em, conversationId, leafId, historyWalk(settings, limit)), limit);
}

/** `historyWindow` from the rows of a walk made as `historyWalk(settings, limit)` says (a turn makes it inside its own statement). */
export function historyWindowOf(
  settings: SummarySettingsFields,
  branch: readonly BranchRow[],
  limit: number,
): { summary: string | null; messages: HistoryMessage[]; summaryDue: SummaryDue } {
  const { summary, uncovered, length } = branchStateOf(branch);
  if (!settings.enabled) return { summary: null, messages: uncovered.slice(0, limit).reverse(), summaryDue: null };
  const messages = uncovered.slice(0, summary ? settings.maxMessages + settings.updateStep : limit);
  return { summary: summary?.summary ?? null, messages: messages.reverse(), summaryDue: { length, dueAt: dueAt(settings, summary) } };
}

/** The branch length at which `refreshSummary` folds again: the first threshold, then every step after the last summary. */
const dueAt = (settings: SummarySettingsFields, current: { messageCountAtUpdate: number } | null) =>
  current ? current.messageCountAtUpdate + settings.updateStep : settings.firstThreshold;

/**
 * What a turn learnt of its branch while reading its history: the branch's length up to the
 * turn's parent and the length at which a summary is due; null when summaries are off.
 * `refreshSummary` would find a branch shorter than `dueAt` not due, and a summary written
 * meanwhile only moves `dueAt` further, so a turn whose branch stays short enqueues no job.
 */
export type SummaryDue = { length: number; dueAt: number } | null;

/** Whether a branch `added` messages longer than the one `due` describes would be summarised. */
export const summaryDueAfter = (due: SummaryDue, added: number) => due !== null && due.length + added >= due.dueAt;

/** What the prompt needs of a message in the history. */
export type HistoryMessage = {
  id: string;
  role: MessageRole;
  content: string;
  /** Whether documents went with it; unknown (undefined) when the history was read without asking. */
  hasDocuments?: boolean;
};

export type SummaryRefresh = 'disabled' | 'not-due' | 'created' | 'refreshed' | 'superseded' | 'failed';

export type RefreshSummaryInput = {
  conversationId: string;
  /** The end of the branch to summarise (the turn's answer, or its question when no answer was kept). */
  leafId: string;
  /** The conversation's model: the summary is written by the model that answers. */
  model: IModel;
  /** The turn's reservation: the summary's tokens are metered to the same user, day and model. */
  reservation: Reservation;
  config: ServiceConfig;
};

/**
 * Summarises the branch's older messages (all but the newest `maxMessages`) once it reaches
 * `firstThreshold` messages, and folds newer ones into a new summary every `updateStep`
 * messages. Summaries are per path end and never rewritten, so other branches keep theirs.
 * Replicas may race: both fold the same messages and insert a summary ending at the same
 * message; the unique last message lets exactly one write win and the loser changes nothing.
 * An upstream failure leaves the previous summary in place.
 */
export async function refreshSummary(em: EntityManager, input: RefreshSummaryInput): Promise<SummaryRefresh> {
  const settings = await loadSummarySettings(em);
  if (!settings.enabled) return 'disabled';
  const state = await branchState(em, input.conversationId, input.leafId);
  const current = state.summary;
  const count = state.length;
  const due = count >= dueAt(settings, current);
  if (!due) return 'not-due';

  // The uncovered messages oldest first, except the newest `maxMessages`, at most MAX_FOLD_MESSAGES of them.
  const uncovered = [...state.uncovered].reverse();
  const fold = uncovered.slice(0, Math.max(0, Math.min(MAX_FOLD_MESSAGES, uncovered.length - settings.maxMessages)));
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
    const written = await tx.execute<{ revision: number }[]>(
      `insert into conversation_summaries (id, conversation_id, summary, message_count_at_update, covered_count, last_message_id, revision, updated_at)
       select ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from messages where id = ?)
       on conflict (last_message_id) do nothing
       returning revision`,
      [
        randomUUID(),
        input.conversationId,
        generated.summary,
        count,
        (current?.coveredCount ?? 0) + fold.length,
        newest.id,
        (current?.revision ?? 0) + 1,
        now,
        newest.id,
      ],
    );
    // The call was made either way: its tokens are used whether or not this write won.
    if (generated.usage) {
      await settle(
        tx,
        { ...input.reservation, reservedTokens: 0, leaseId: null },
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
