import { randomUUID } from 'node:crypto';
import {
  assemblePrompt,
  estimateTokens,
  streamAnswerOnceAdmitted,
  ProviderError,
  type AnswerResult,
  type AssemblePromptInput,
  type ImageAnswerResult,
  type AnswerStream,
} from '@atrium/ai';
import {
  asDate,
  asJson,
  Attachment,
  directSql,
  NotFoundError,
  type EntityManager,
  type IAttachment,
  type IConversation,
  type IMessage,
  type IModel,
  type IUser,
} from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { PostgresFileStore, type FileStore } from '../../files';
import { answerLookup, replayAnswer, type CacheHit } from '../cache/cache.service';
import { aiIdentity } from '../../platform/platform.parts';
import { identityIn, identityLanguageOf } from '../identity/identity.service';
import { mayLearnAbout } from '../preferences/learning.service';
import { resolveModel } from '../models/models.service';
import { usablePresetJson, usableTurnPreset, type TurnPreset } from '../presets/presets.service';
import {
  BRANCH_COLUMNS,
  branchWalk,
  historyWalk,
  historyWindowOf,
  loadSummarySettings,
  summaryDueAfter,
  type BranchRow,
  type HistoryMessage,
} from '../summaries/summaries.service';
import type { SummarySettingsFields } from '../../platform/platform.parts';
import { addStorage } from '../attachments/storage.service';
import { answerUsage, pictureUsage } from '../usage/answer-usage';
import { renewLease } from '../usage/leases.service';
import type { QuotaCounters } from '../usage/usage.service';
import { admitUnlessServed, ReadChangedError, settle, settlementSql, type AdmitOptions, type Reservation } from '../usage/limits.service';
import { logger } from '../../observability/log';
import { turnMoment } from '../../observability/moments';
import { recordAnswer, upstreamErrors } from '../../observability/metrics';
import { enqueueAfterTurn } from './after-work';
import { createChannel, type Channel } from './channel';
import { draftConversation } from './conversations.service';
import { drawAnswer, storePictures, type DrawingStream, type StoredPicture } from './draw';
import { attachToMessage, loadTurnAttachments, promptAttachments } from './turn-attachments';
import { LISTED_COLUMNS, refId, shapeConversationRow, type ConversationRow as ListedConversationRow, type ConversationView } from './chat.shape';

/** Without a preset's own cap, answers are capped here; the cap is also what admission reserves. */
export const DEFAULT_ANSWER_TOKENS = 2048;
// Our token count is an estimate; reserving a margin above it keeps budgets from being overrun.
export const PROMPT_ESTIMATE_MARGIN = 1.25;
const HISTORY_MESSAGES = 100;

export type TurnRequest = {
  user: IUser;
  signal?: AbortSignal;
  modelId?: string | null;
  presetId?: string | null;
  /** Where attachments' files are read from (the request's store; PostgreSQL on `em` when left out). */
  files?: FileStore;
  /** The language of the page that asked, for a user who never saved one. */
  language?: 'en' | 'tr' | null;
} & (
  | {
      kind: 'send';
      conversationId?: string | null;
      content: string;
      /** An earlier question this one replaces: it starts a new branch beside it, and the old branch stays. */
      editOf?: string | null;
      /** My uploaded, not yet sent attachments that go with the question. */
      attachmentIds?: readonly string[];
    }
  | {
      kind: 'regenerate';
      conversationId: string;
      /** The answer to answer again (or an unanswered question); absent: the end of the viewed branch. */
      messageId?: string | null;
    }
);

/**
 * A message the turn wrote by its own statement, as the caller shows it: the row's fields, the
 * references as ids (the style's name with it when the turn knows it). Not an entity: nothing
 * is flushed from it, and building one cost more CPU than the statement that writes it.
 */
export type TurnMessage = Pick<IMessage, 'id' | 'role' | 'content' | 'model' | 'provider' | 'promptTokens' | 'completionTokens' | 'costMicros' | 'metadata' | 'createdAt'> & {
  conversation: { id: string };
  parent: { id: string } | null;
  preset: { id: string; name?: string } | null;
};

export type TurnOutcome = {
  status: 'completed' | 'aborted' | 'failed';
  assistantMessage: TurnMessage | null;
  /** The pictures an image generation model answered with (kept on the assistant message). */
  pictures: IAttachment[];
  error: string | null;
  /**
   * What the answer's statement left, read by its `returning`, so the page that asked needs no
   * fetch for them: the conversation as its list shows it, and the model's counters for the
   * reservation's day and month. Null when no answer was kept (or its conversation was deleted).
   */
  after: { conversation: ConversationView; ledger: QuotaCounters & { day: string; month: string } } | null;
};

/**
 * The conversation as a turn reads it: its row, the references as ids. An existing conversation's
 * row is only read by the turn (its writes are statements of their own), so it is not mapped into
 * the request's identity map.
 */
export type TurnConversation = Pick<IConversation, 'id' | 'title' | 'group' | 'pinnedAt' | 'archivedAt' | 'createdAt' | 'updatedAt'> & {
  // Undefined on a new conversation's entity where it was not set.
  user: { id: string };
  preset: { id: string } | null | undefined;
  model: { id: string } | null | undefined;
  activeLeaf: { id: string } | null | undefined;
};

export type ChatTurn = {
  conversation: TurnConversation;
  userMessage: IMessage | TurnMessage;
  model: IModel;
  /** The style the answer is written in (shown under it). */
  style: { id: string; name: string } | null;
  /** The files that went with the question. */
  attachments: IAttachment[];
  /** Text deltas as the upstream produces them (or coalesced, through `deltas.batches`). */
  deltas: Channel<string>;
  /**
   * Settles once the upstream request has been written (or is waiting for a new connection): the
   * caller writes its own first event after it, so the upstream gets the request first. At once
   * for a cached answer or a drawing.
   */
  upstreamRequested: Promise<void>;
  /** Settles once the answer is saved and usage is settled, whether or not anyone read the deltas. */
  finished: Promise<TurnOutcome>;
  /** Settles once the work after the answer (caching it, the summary, the title) is enqueued as jobs: it never delays the answer. */
  afterWork: Promise<void>;
};

/**
 * One chat turn, as a pipeline of named steps:
 * authorize → assemble prompt → admit (limits, the answer cache looked up in the same statement)
 * → stream (or replay the cached answer, or draw: an image generation model answers with
 * pictures) → settle usage + persist → after-work jobs (title, cache, summary).
 */
export async function startTurn(em: EntityManager, config: ServiceConfig, request: TurnRequest): Promise<ChatTurn> {
  // A stopping process takes no new turns: the browser retries on another replica.
  config.answers.assertAccepting();
  const read = await authorize(em, config, request);
  turnMoment('turn read');
  // From admission on, the turn is one of this process's running answers: a shutdown lets it finish or stops it cleanly.
  const running = config.answers.begin(request.signal);
  // Whether the streamed answer's upstream request, built while admission runs, may leave.
  let sendAnswer = Promise.withResolvers<boolean>();
  // A new conversation is written with its first question (in admission's statement): a refused first message leaves none behind.
  const prepare = async ({ conversation, isNew, memory, tree, preset: readPreset, unchanged }: TurnRead) => {
    const preset = choosePreset(request, readPreset);
    const model = await resolveModel(em, request.user, config.providers, [
      request.modelId,
      refId(conversation.model),
      refId(preset?.model),
      request.user.selectedModel,
    ]);
    const { userText, existingUserMessage, parentId, history, summary, summaryDue } = loadTurnMessages(request, conversation, tree, preset);
    // Files go with the question: refused here (someone else's, still being read, pictures for a blind model) before any call.
    const attachments = await loadTurnAttachments(em, {
      user: request.user,
      attachmentIds: request.kind === 'send' ? (request.attachmentIds ?? []) : [],
      existingUserMessage: existingUserMessage ? { id: existingUserMessage.id, hasAttachments: tree.named?.question_attachments !== false } : null,
      model,
      providers: config.providers,
    });
    const files = await promptAttachments(em, request.files ?? new PostgresFileStore(em), { user: request.user, turn: attachments, history });
    const { prompt, identity } = await assemble(em, request.user, preset, model, history, summary, userText, config, files, request.language ?? null, memory);
    const answerCap = preset?.maxTokens ?? Math.min(DEFAULT_ANSWER_TOKENS, Math.floor(model.contextWindow / 4));
    // A drawing model is sent the question alone (image APIs take one prompt): that is what it reserves.
    const drawing = model.supportsImageGeneration;
    // Only a question without context (the first message of a conversation) can be answered from
    // the cache; pictures never are. Looked up inside the admission's statement: no round trip of its own.
    const cache =
      request.kind === 'send' && !drawing && history.length === 0 && summary === null && attachments.length === 0
        ? await answerLookup(
            em,
            request.user,
            { question: userText, modelId: model.id, preset, identityRevision: identity.revision, system: prompt.system },
            config.now(),
          )
        : null;

    // The user's message is written by the admission's own statement: no round trip, and a refused turn leaves none.
    const question = existingUserMessage ? null : userQuestion(conversation, { isNew, content: userText, parentId, preset, config });
    const userMessage: IMessage | TurnMessage = existingUserMessage ?? question!.message;
    // Named before it is written, so the lease (written first) can say which question it answers.
    const questionId = userMessage.id;
    const admission = admitUnlessServed<CacheHit, Pick<ConversationRow, 'title' | 'group_name' | 'pinned_at' | 'archived_at'>>(em, {
      user: request.user,
      model,
      // A cached answer (when `servedBy` finds one) reserves no tokens; it counts against the day's requests until it is settled as a hit.
      reserveTokens: drawing ? estimateTokens(userText) : Math.ceil(prompt.estimatedPromptTokens * PROMPT_ESTIMATE_MARGIN) + answerCap,
      now: config.now(),
      timeZone: config.usageTimeZone,
      conversationId: conversation.id,
      questionId,
      promptEstimate: drawing ? estimateTokens(userText) : prompt.estimatedPromptTokens,
      leaseMs: config.lease.ms,
      ...(question ? { alongside: question.sql } : {}),
      // The files join the question in the same transaction: a refused turn leaves them unsent.
      ...(question && attachments.length > 0 ? { alsoWrite: (tx: EntityManager) => attachToMessage(tx, request.user, attachments, userMessage) } : {}),
      ...(cache ? { servedBy: cache.select } : {}),
      ...(unchanged ? { unlessChanged: unchanged } : {}),
    });
    // Handled where it is awaited, below; until then a refusal must not count as unhandled.
    admission.catch(() => undefined);
    // The SDK builds the upstream request while the admission's round trip runs; it leaves once
    // admitted and not answered from the cache, never when refused. Built once the statement is on
    // its way: started first, its ~1 ms of CPU ran in the microtasks between the admission's
    // first await and its write, and held the statement back.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const answer = drawing
      ? null
      : streamAnswerOnceAdmitted({
          model,
          settings: config.providers,
          prompt,
          temperature: preset?.temperature == null ? null : Number(preset.temperature),
          maxTokens: answerCap,
          abortSignal: running.signal,
          timeoutMs: config.llm.timeoutMs,
          ...(config.llm.firstTokenTimeoutMs ? { firstTokenTimeoutMs: config.llm.firstTokenTimeoutMs } : {}),
          sendWhen: sendAnswer.promise,
        });
    const { reservation, served: cached, returned } = await admission;
    // After the admission: the row was written by its statement, the entity must not be flushed again.
    // A Date of its own: one shared with the message would send the `started` event through superjson's slow walk (transformer.ts).
    if (question) conversation.updatedAt = new Date(question.message.createdAt);
    if (returned) {
      conversation.title = returned.title;
      conversation.group = returned.group_name;
      conversation.pinnedAt = returned.pinned_at === null ? null : asDate(returned.pinned_at);
      conversation.archivedAt = returned.archived_at === null ? null : asDate(returned.archived_at);
    }
    return { conversation, isNew, preset, model, userText, existingUserMessage, userMessage, attachments, prompt, cache, cached, reservation, drawing, summaryDue, answer };
  };
  const prepared = await prepare(read)
    .catch(async (error: unknown) => {
      sendAnswer.resolve(false);
      // The read kept from the last answer no longer held, and nothing was written: read it and admit on that.
      if (!(error instanceof ReadChangedError)) throw error;
      sendAnswer = Promise.withResolvers<boolean>();
      return prepare(await authorize(em, config, request, true));
    })
    .catch((error: unknown) => {
      sendAnswer.resolve(false);
      throw error;
    });
  const { conversation, isNew, preset, model, userText, existingUserMessage, userMessage, attachments, prompt, cache, cached, reservation, drawing, summaryDue, answer } = prepared;
  // The viewed leaf before the answer: the answer becomes the viewed leaf only if the student is still there.
  turnMoment('admitted');
  const leafBefore = existingUserMessage ? refId(conversation.activeLeaf) : null;

  const lease = keepLeaseAlive(em, reservation, config);
  // Readers on any process (the same browser after a reload) attach to it by its lease; Stop reaches it from any process.
  const relayed = reservation.leaseId ? config.relay.produce(reservation.leaseId, { stop: running.stop, save: lease.save }) : null;
  let stream: AnswerStream | DrawingStream;
  try {
    stream = cached
      ? replayAnswer(cached.answer)
      : drawing
        ? drawAnswer({ model, settings: config.providers, prompt: userText, abortSignal: running.signal, ...(config.llm.imageTimeoutMs ? { timeoutMs: config.llm.imageTimeoutMs } : {}) })
        : answer!();
    // A cached answer leaves the upstream request built during admission unsent.
    sendAnswer.resolve(!cached);
  } catch (error) {
    sendAnswer.resolve(false);
    if (error instanceof ProviderError) upstreamErrors.inc({ model: model.id, kind: error.kind });
    await lease.stop();
    await settle(em.fork(), reservation, { outcome: 'failed' });
    await relayed?.end(null);
    throw error;
  }
  const upstreamRequested = cached || drawing ? Promise.resolve() : twoLoopTurns();

  const channel = createChannel<string>();
  const pumped = (async () => {
    try {
      for await (const delta of stream.textStream) {
        lease.text += delta;
        relayed?.append(delta);
        channel.push(delta);
      }
    } finally {
      await lease.stop();
    }
    channel.close();
    const result = await stream.result;
    recordAnswer(model.id, result, { cacheHit: cached !== null });
    return result;
  })();
  const drawn = drawing ? (stream as DrawingStream).drawing : null;
  // The request's `em`, not a fork (~50 µs each): the answer and the next read are statements sent directly (`directSql`).
  const finished = pumped.then(async (result) =>
    saveAnswer(em, {
      user: request.user,
      pictures: drawn ? await keepPictures(request.files ?? new PostgresFileStore(em), request.user, await drawn) : null,
      conversation,
      model,
      preset,
      reservation,
      result,
      estimatedPromptTokens: prompt.estimatedPromptTokens,
      after: userMessage,
      leafBefore: leafBefore ?? userMessage.id,
      config,
      cacheHit: cached !== null,
    }),
  );
  // Readers attached elsewhere are told once the answer is saved (or could not be).
  const relayedEnd = finished.then(
    (outcome) => relayed?.end(outcome.assistantMessage?.id ?? null),
    () => relayed?.end(null),
  );
  // Nobody may be listening any more (the browser left): failures still surface in the log.
  running.track(Promise.all([finished, relayedEnd]));
  finished.catch((error: unknown) => logger.error({ err: error, conversationId: conversation.id }, 'saving an answer failed'));
  // Read from the platform cache (no query per turn): whether this turn may teach the assistant
  // about its user. Awaited only once the answer's promises have their handlers.
  const learn = (await mayLearnAbout(em, request.user)) ? config : null;
  // The branch after this turn is its parent's plus the question and the answer.
  const summaryDueNext = summaryDueAfter(summaryDue, 2);
  const afterWork = finished.then(
    (outcome) =>
      Promise.all([
        enqueueAfterTurn(config.jobs, {
          conversationId: conversation.id,
          conversationTitle: conversation.title,
          isNew,
          model,
          reservation,
          userMessageId: userMessage.id,
          answer: outcome.assistantMessage
            ? { id: outcome.assistantMessage.id, status: outcome.status, finishReason: outcome.assistantMessage.metadata.finishReason ?? null }
            : null,
          cache: cache ? { key: cache.key, hitId: cached?.id ?? null } : null,
          learn,
          summaryDue: summaryDueNext,
        }).catch((error: unknown) => logger.error({ err: error, conversationId: conversation.id }, 'enqueueing after-work failed')),
        // What the next question reads, kept for it; not when a summary is due, which changes it.
        outcome.assistantMessage && !summaryDueNext && config.answers.accepting
          ? keepNextRead(em, config, request.user, conversation.id).catch((error: unknown) =>
              logger.error({ err: error, conversationId: conversation.id }, 'keeping the next read failed'),
            )
          : null,
      ]).then(() => undefined),
    // A failed save is logged above; there is nothing to do after it.
    () => undefined,
  );
  pendingAfterWork.add(afterWork);
  void afterWork.then(() => pendingAfterWork.delete(afterWork));
  const style = preset ? { id: preset.id, name: preset.name } : null;
  return { conversation, userMessage, model, style, attachments, deltas: channel, upstreamRequested, finished, afterWork };
}

const pendingAfterWork = new Set<Promise<void>>();

/**
 * When a request just let go to the SDK has been written on a kept-alive connection: the SDK takes
 * it to the providers' fetch (node:http, `upstreamFetch` in @atrium/ai) in promise jobs, and node
 * writes it once its agent has handed it the idle socket, a tick later. Two turns of the event loop
 * leave room for both (it was undici until 2026-11-30, which wrote from an immediate). A request
 * that needs a new connection is not waited for.
 */
const twoLoopTurns = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Resolves once every finished turn in this process has enqueued its after-work (the jobs
 * themselves run on the job runner), for a shutdown or a test to wait on.
 */
export async function afterWorkSettled() {
  while (pendingAfterWork.size > 0) await Promise.all(pendingAfterWork);
}

/**
 * Renews the turn's lease while it streams, saving the text so far with it. If this process dies,
 * the lease runs out and a sweep on any process releases the tokens and keeps the partial answer.
 * `save` renews at once (a reader attached and needs the text so far); writes go one after another,
 * so the row never goes back to shorter text.
 */
function keepLeaseAlive(em: EntityManager, reservation: Reservation, config: ServiceConfig) {
  const state = { text: '', saved: '' };
  let renewing: Promise<unknown> = Promise.resolve();
  let renewedAt = Date.now();
  const renew = () => {
    const text = state.text;
    renewedAt = Date.now();
    renewing = renewing
      .then(() => renewLease(em.fork(), reservation.leaseId!, { expiresAt: new Date(config.now().getTime() + config.lease.ms), partialText: text }))
      .then(() => void (state.saved = text))
      .catch((error: unknown) => logger.error({ err: error, leaseId: reservation.leaseId }, 'renewing a lease failed'));
    return renewing.then(() => text.length);
  };
  const timer = reservation.leaseId
    ? setInterval(() => {
        // New text to keep, or half the lease gone during a long silence: one statement either way.
        if (state.text === state.saved && Date.now() - renewedAt < config.lease.ms / 2) return;
        void renew();
      }, config.lease.renewMs)
    : null;
  timer?.unref();
  return Object.assign(state, {
    save: () => (reservation.leaseId ? renew() : Promise.resolve(state.text.length)),
    async stop() {
      if (timer) clearInterval(timer);
      await renewing;
    },
  });
}


/** What a turn read of its conversation's tree with the conversation (see `turnReadSql`): its branch, and the message the request named. */
type TurnTree = { settings: SummarySettingsFields; branch: readonly BranchRow[]; named: NamedRow | null };

/** What a turn read before its admission (`authorize`). */
type TurnRead = {
  conversation: TurnConversation;
  isNew: boolean;
  memory: Memory;
  tree: TurnTree;
  preset: TurnPreset | null;
  /** Set when the read was kept from before (`KnownReads`): the admission checks that it still holds. */
  unchanged: AdmitOptions['unlessChanged'] | null;
};

/** `fresh`: read by statement even when this process kept the read (the kept one changed). */
async function authorize(em: EntityManager, config: ServiceConfig, request: TurnRequest, fresh = false): Promise<TurnRead> {
  // From memory (no statement): how far the branch is walked.
  const settings = await loadSummarySettings(em);
  if (request.kind === 'send' && !request.conversationId) {
    const { memory, preset } = await readMemoryAndPreset(em, request);
    // Only a preset the request names is the new conversation's: read with the memory, not read again by the draft.
    const checked = request.presetId ? (preset ?? missingPreset()) : null;
    const conversation = await draftConversation(em, request.user, { presetId: checked?.id ?? null, modelId: request.modelId ?? null }, config.now(), checked);
    return { conversation, isNew: true, memory, tree: { settings, branch: [], named: null }, preset, unchanged: null };
  }
  return { ...(await readOwnConversation(em, config, request, request.conversationId!, settings, fresh)), isNew: false };
}

const missingPreset = (): never => {
  throw new NotFoundError('No such preset.');
};

/**
 * The preset a turn asks for: the one the request names (null: none), else the conversation's,
 * else the user's chosen one. As SQL for the statement that reads it with the turn: `id` an
 * expression over that statement's conversation `c` (absent when the turn has no preset to read).
 */
function presetOfTurn(request: TurnRequest, conversationPreset: string | null): { id: string; params: unknown[] } | null {
  if (request.presetId !== undefined) return request.presetId === null ? null : { id: '?::uuid', params: [request.presetId] };
  const chosen = refId(request.user.activePreset);
  if (conversationPreset === null) return chosen === null ? null : { id: '?::uuid', params: [chosen] };
  return { id: `coalesce(${conversationPreset}, ?::uuid)`, params: [chosen] };
}

/** What the assistant remembers of the user `userSql` names, as a JSON array (see `Memory`). */
const memoryJson = (userSql: string) => `(select coalesce(json_agg(json_build_object('key', m.key, 'value', m.value) order by m.category, m.key), '[]')
   from user_preferences m where m.user_id = ${userSql} and m.is_active and m.status = 'kept')`;

/**
 * A new conversation's first turn reads what the assistant remembers of the user and the preset it
 * asks for in one statement: the preset costs no round trip of its own.
 */
async function readMemoryAndPreset(em: EntityManager, request: TurnRequest): Promise<{ memory: Memory; preset: TurnPreset | null }> {
  const preset = presetOfTurn(request, null);
  const [row] = await directSql(em).execute<{ atrium_memory: Memory | string; atrium_preset: Parameters<typeof usableTurnPreset>[1] }>(
    `select ${memoryJson('?::uuid')} as atrium_memory, ${preset ? usablePresetJson(preset.id, '?::uuid') : 'null'} as atrium_preset`,
    [request.user.id, ...(preset ? [...preset.params, request.user.id] : [])],
  );
  return { memory: asJson(row!.atrium_memory), preset: usableTurnPreset(request.user, row!.atrium_preset) };
}

/** What the assistant remembers of the user, as the prompt takes it. */
type Memory = { key: string; value: string }[];

/**
 * The message an edit or a regeneration names, within the conversation (`target`), and the
 * question the turn is about (`question`): the one an edit replaces (a question, never an
 * answer), or the one answered again (the named message, else the viewed leaf, when it is a
 * question; else the question it answers).
 */
const NAMED = {
  edit: { target: '?::uuid', question: 't.id' },
  again: { target: 'coalesce(?::uuid, c.active_leaf_id)', question: `case when t.role = 'user' then t.id else t.parent_id end` },
} as const;

/**
 * Everything a turn in an existing conversation reads, in one statement: my conversation (no
 * row at all for anyone else's), what the assistant remembers of me, the preset the turn asks
 * for (`presetOfTurn`: the expression `preset`, null when there is none to read) if I may use it,
 * for an edit or a regeneration the message it names (`NAMED`; for a regeneration whether its
 * question has attachments to read), and the branch the question follows, walked up
 * from its parent (`branchWalk`), leaf first. One row: the branch comes as a JSON array, which
 * parses for less CPU than rows carrying the conversation's columns. A new question's statement
 * leaves out the named message: PostgreSQL plans every statement afresh, and those expressions
 * cost it more to plan than to run. `atrium_fingerprint` hashes what the turn's prompt and its
 * question's place depend on (not the title, nor the pins: the admission returns those), so that
 * an admission can tell whether a read kept from before still holds (`KnownReads`).
 */
function turnReadSql(named: (typeof NAMED)[keyof typeof NAMED] | null, walk: string, preset: string | null) {
  return `with recursive
  conversation as (
    select c.id, c.user_id, c.title, c.group_name, c.preset_id, c.model_id, c.active_leaf_id, c.pinned_at, c.archived_at, c.created_at, c.updated_at
    from conversations c where c.id = ? and c.user_id = ?
  ),${
    named
      ? `
  target as (select t.id, t.role, t.parent_id from conversation c join messages t on t.id = ${named.target} and t.conversation_id = c.id),
  question as (
    select q.id, q.parent_id, q.content, q.preset_id, q.metadata, q.created_at
    from conversation c cross join target t join messages q on q.id = ${named.question} and q.conversation_id = c.id and q.role = 'user'
  ),
  start (id, conversation_id) as (select (select q.parent_id from question q), c.id from conversation c),`
      : `
  start (id, conversation_id) as (select c.active_leaf_id, c.id from conversation c),`
  }
  ${walk}
select tr.*, md5(row(tr.active_leaf_id, tr.preset_id, tr.model_id, tr.atrium_memory::text,${preset ? ' tr.atrium_preset::text,' : ''} tr.atrium_branch::text)::text) as atrium_fingerprint
from (select c.*,
  ${memoryJson('c.user_id')} as atrium_memory,${preset ? `\n  ${usablePresetJson(preset, 'c.user_id')} as atrium_preset,` : ''}${
     named
       ? `
  exists (select 1 from target) as target_found,
  q.id as question_id, q.parent_id as question_parent_id, q.content as question_content, q.preset_id as question_preset_id,
  q.metadata as question_metadata, q.created_at as question_created_at,${
    named === NAMED.again ? `\n  exists (select 1 from attachments a where a.message_id = q.id and a.user_id = c.user_id) as question_attachments,` : ''
  }`
       : ''
   }
  (select json_agg(r order by r.depth)
   from (select b.depth, ${BRANCH_COLUMNS} from branch b left join conversation_summaries s on s.id = b.summary_id) r) as atrium_branch
from conversation c${named ? ' left join question q on true' : ''}) tr`;
}

/** What `turnReadSql` reads of the message an edit or a regeneration names. */
type NamedRow = {
  target_found: boolean;
  question_id: string | null;
  question_parent_id: string | null;
  question_content: string | null;
  question_preset_id: string | null;
  question_metadata: IMessage['metadata'] | null;
  question_created_at: string | Date | null;
  /** A regeneration's: whether its question has attachments (else they are not asked for). */
  question_attachments?: boolean;
};

/** The row of `turnReadSql`. JSON columns come parsed on PostgreSQL, as text on PGlite. */
type TurnReadRow = ConversationRow & {
  atrium_fingerprint: string;
  atrium_memory: Memory | string;
  atrium_preset?: Parameters<typeof usableTurnPreset>[1];
  atrium_branch: BranchRow[] | string | null;
} & Partial<NamedRow>;

/** The statement that reads a turn in an existing conversation (`turnReadSql`), with its parameters. */
function turnRead(request: TurnRequest, id: string, settings: SummarySettingsFields) {
  const named = request.kind === 'regenerate' ? { sql: NAMED.again, id: request.messageId ?? null } : request.editOf ? { sql: NAMED.edit, id: request.editOf } : null;
  const walk = branchWalk('start', historyWalk(settings, HISTORY_MESSAGES));
  const preset = presetOfTurn(request, 'c.preset_id');
  const sql = turnReadSql(named?.sql ?? null, walk.sql, preset?.id ?? null);
  return { named, sql, params: [id, request.user.id, ...(named ? [named.id] : []), ...walk.params, ...(preset?.params ?? [])] };
}

/**
 * My conversation as the turn reads it: from this process's `KnownReads` when it kept the very
 * same read after the conversation's last answer (no statement; `unchanged` is then the condition
 * the admission checks it by), else by its statement. An edit or a regeneration always reads.
 */
async function readOwnConversation(
  em: EntityManager,
  config: ServiceConfig,
  request: TurnRequest,
  id: string,
  settings: SummarySettingsFields,
  fresh: boolean,
): Promise<Omit<TurnRead, 'isNew'>> {
  const { named, sql, params } = turnRead(request, id, settings);
  const known = named || fresh ? null : config.knownReads.take(id, sql, params);
  const row = (known?.row as TurnReadRow | undefined) ?? (await directSql(em).execute<TurnReadRow>(sql, params))[0];
  if (!row) throw new NotFoundError('No such conversation.');
  return {
    conversation: turnConversation(row),
    memory: asJson(row.atrium_memory),
    tree: { settings, branch: asJson(row.atrium_branch) ?? [], named: named ? (row as NamedRow) : null },
    preset: usableTurnPreset(request.user, row.atrium_preset),
    unchanged: known ? { sql: `coalesce((select kept.atrium_fingerprint from (${sql}) kept) = ?, false)`, params: [...params, known.fingerprint] } : null,
  };
}

/**
 * After an answer, what the conversation's next question (a follow-up as the web app sends it:
 * its model and style the conversation's) would read, kept in `KnownReads` for it.
 */
async function keepNextRead(em: EntityManager, config: ServiceConfig, user: IUser, conversationId: string) {
  const settings = await loadSummarySettings(em);
  const { sql, params } = turnRead({ kind: 'send', user, conversationId, content: '' }, conversationId, settings);
  const [row] = await directSql(em).execute<TurnReadRow>(sql, params);
  if (row) config.knownReads.keep(conversationId, { sql, params, row, fingerprint: row.atrium_fingerprint });
}

/** The list's conversation row (chat.shape.ts) with its owner: a turn checks and carries it. */
type ConversationRow = ListedConversationRow & { user_id: string };

const asRef = (id: string | null) => (id === null ? null : { id });

function turnConversation(row: ConversationRow): TurnConversation {
  return {
    id: row.id,
    user: { id: row.user_id },
    title: row.title,
    group: row.group_name,
    preset: asRef(row.preset_id),
    model: asRef(row.model_id),
    activeLeaf: asRef(row.active_leaf_id),
    pinnedAt: row.pinned_at === null ? null : asDate(row.pinned_at),
    archivedAt: row.archived_at === null ? null : asDate(row.archived_at),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

/**
 * The preset the turn read with its conversation or memory (`presetOfTurn`): one the request
 * names must be usable (someone else's style looks missing); a conversation's or a chosen one
 * that no longer is leaves the turn without one.
 */
function choosePreset(request: TurnRequest, read: TurnPreset | null): TurnPreset | null {
  if (!read && request.presetId) missingPreset();
  return read;
}

/**
 * The user's text, where it goes in the tree, the history before it (the branch from the root
 * to its parent) and the summary of what came before that history (`historyWindowOf` keeps it
 * bounded however long the branch grows), from what `readOwnConversation` read. A new question
 * follows the viewed leaf; an edited one becomes a sibling of the question it replaces;
 * regenerating reuses the question of the answer being replaced (or the unanswered question at
 * the end of the branch).
 */
function loadTurnMessages(request: TurnRequest, conversation: TurnConversation, tree: TurnTree, preset: TurnPreset | null) {
  const head = tree.named;
  const { summary, messages: history, summaryDue } = historyWindowOf(tree.settings, tree.branch, HISTORY_MESSAGES);
  if (request.kind === 'send' && !request.editOf) {
    return { userText: request.content, existingUserMessage: null, parentId: refId(conversation.activeLeaf), history, summary, summaryDue };
  }
  if (request.kind === 'regenerate' && !head?.target_found) throw new NotFoundError('There is no question in this conversation to answer again.');
  if (!head?.question_id) throw new NotFoundError('No such question in this conversation.');
  const parentId = head.question_parent_id;
  if (request.kind === 'send') return { userText: request.content, existingUserMessage: null, parentId, history, summary, summaryDue };
  const question: TurnMessage = {
    id: head.question_id,
    conversation: { id: conversation.id },
    parent: asRef(parentId),
    role: 'user',
    content: head.question_content!,
    model: null,
    provider: null,
    promptTokens: null,
    completionTokens: null,
    costMicros: null,
    // Its style's name only when it is the turn's own (loaded) style, as the entity this replaces had it.
    preset: head.question_preset_id === null ? null : head.question_preset_id === preset?.id ? { id: preset.id, name: preset.name } : { id: head.question_preset_id },
    metadata: head.question_metadata ?? {},
    createdAt: asDate(head.question_created_at!),
  };
  return { userText: question.content, existingUserMessage: question, parentId, history, summary, summaryDue };
}

async function assemble(
  em: EntityManager,
  user: IUser,
  preset: TurnPreset | null,
  model: IModel,
  history: HistoryMessage[],
  summary: string | null,
  userText: string,
  config: ServiceConfig,
  files: Pick<AssemblePromptInput, 'documents' | 'images'> = {},
  language: string | null,
  memory: Memory,
) {
  const identity = await aiIdentity(em);
  const prompt = assemblePrompt({
    // In the student's language: a Turkish student's assistant introduces itself in Turkish.
    identity: identityIn(identity, identityLanguageOf(user, language)),
    preset,
    user,
    memory,
    summary,
    history: history.map(({ role, content }) => ({ role, content })),
    userMessage: userText,
    ...files,
    contextWindow: model.contextWindow,
    maxTokens: preset?.maxTokens ?? null,
    now: config.now(),
    timeZone: config.usageTimeZone,
  });
  return { prompt, identity };
}

/**
 * The question, joining the tree under its parent and becoming the end of the viewed branch: an
 * entity for the caller (not managed) and the writes as common table expressions of the
 * admission's statement.
 */
function userQuestion(
  conversation: TurnConversation,
  input: { isNew: boolean; content: string; parentId: string | null; preset: TurnPreset | null; config: ServiceConfig },
) {
  const now = input.config.now();
  const message: TurnMessage = {
    id: randomUUID(),
    conversation: { id: conversation.id },
    parent: input.parentId === null ? null : { id: input.parentId },
    role: 'user',
    content: input.content,
    model: null,
    provider: null,
    promptTokens: null,
    completionTokens: null,
    costMicros: null,
    // With its name, as the request's loaded preset gave it to the entity this replaces.
    preset: input.preset ? { id: input.preset.id, name: input.preset.name } : null,
    metadata: {},
    createdAt: now,
  };
  const question = {
    sql: `question as (
            insert into messages (id, conversation_id, parent_id, role, content, preset_id, metadata, created_at)
            values (?, ?, ?, 'user', ?, ?, '{}', ?))`,
    params: [message.id, conversation.id, input.parentId, input.content, input.preset?.id ?? null, now],
  };
  // A new conversation is inserted with the question as its viewed leaf (a sibling expression
  // could not update a row inserted by the same statement); an existing one moves its leaf.
  const conversationSql: { sql: string; params: unknown[]; returns?: string } = input.isNew
    ? {
        sql: `new_conversation as (
                insert into conversations (id, user_id, title, group_name, preset_id, model_id, active_leaf_id, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?))`,
        params: [conversation.id, refId(conversation.user), conversation.title, conversation.group ?? null, refId(conversation.preset), refId(conversation.model), message.id, conversation.createdAt, now],
      }
    : {
        // What the turn did not read, or read from before (`KnownReads`): the title (the first answer's after-work sets it) and the pins.
        sql: `viewed as (update conversations set updated_at = ?, active_leaf_id = ? where id = ? returning title, group_name, pinned_at, archived_at)`,
        params: [now, message.id, conversation.id],
        returns: '(select to_json(v) from viewed v)',
      };
  return { message, sql: { sql: `${question.sql}, ${conversationSql.sql}`, params: [...question.params, ...conversationSql.params], returns: conversationSql.returns } };
}

/** A drawing turn's outcome: what the model drew, as stored in the user's files (none when it failed). */
type Pictures = { drawn: ImageAnswerResult; stored: StoredPicture[] };

/** Stores what the model drew; a picture that cannot be decoded or stored fails the answer (nothing charged). */
async function keepPictures(files: FileStore, user: IUser, drawn: ImageAnswerResult): Promise<Pictures> {
  if (drawn.error || drawn.aborted || drawn.images.length === 0) return { drawn, stored: [] };
  try {
    return { drawn, stored: await storePictures(files, user.id, drawn.images) };
  } catch (error) {
    logger.error({ err: error }, 'keeping a generated picture failed');
    return { drawn: { ...drawn, images: [], error: new ProviderError('failed', { cause: error }) }, stored: [] };
  }
}

type SaveAnswer = {
  user: IUser;
  /** Set for a drawing turn: its pictures become generated_image attachments of the answer. */
  pictures: Pictures | null;
  conversation: TurnConversation;
  model: IModel;
  preset: TurnPreset | null;
  reservation: Reservation;
  result: AnswerResult;
  estimatedPromptTokens: number;
  after: IMessage | TurnMessage;
  /** The viewed leaf when the turn started: the answer replaces it in view unless the student moved on. */
  leafBefore: string;
  config: ServiceConfig;
  /** Replayed from the answer cache: no tokens were used, and usage records a hit. */
  cacheHit: boolean;
};

/**
 * Settles usage and writes the assistant message together: one statement (atomic on its own, no
 * transaction around it) for a text answer; a drawing's pictures and their storage join it in a
 * transaction. A failed answer gives the request back and records no tokens; a stopped one keeps
 * its partial text, and when the provider reported no usage for it, the estimate is recorded and
 * marked as such.
 */
async function saveAnswer(em: EntityManager, input: SaveAnswer): Promise<TurnOutcome> {
  const { model, reservation, pictures } = input;
  // A picture that could not be kept turns the drawing into a failure.
  const result: AnswerResult = pictures?.drawn.error && !input.result.error ? { ...input.result, finishReason: 'error', error: pictures.drawn.error } : input.result;
  const { status, usage, cost, settlement } = pictures
    ? pictureUsage(model, pictures.drawn, pictures.stored.length)
    : answerUsage(model, result, input.estimatedPromptTokens, input.cacheHit);
  const keepMessage = status !== 'failed' || result.text.length > 0;
  const error = result.error?.message ?? null;
  if (!keepMessage) {
    await settle(em, reservation, settlement);
    return { status, assistantMessage: null, pictures: [], error, after: null };
  }

  const createdAt = new Date(Math.max(input.config.now().getTime(), input.after.createdAt.getTime() + 1));
  // The row is written by the statement below; this only carries it to the caller.
  const message: TurnMessage = {
    id: randomUUID(),
    conversation: { id: input.conversation.id },
    parent: { id: input.after.id },
    role: 'assistant',
    content: result.text,
    model: model.id,
    provider: model.provider,
    promptTokens: usage?.promptTokens ?? null,
    completionTokens: usage?.completionTokens ?? null,
    costMicros: usage ? cost : null,
    // Without the style's name (the answer was read on a fork that had not loaded it): its style is the turn's (`ChatTurn.style`).
    preset: input.preset ? { id: input.preset.id } : null,
    createdAt,
    metadata: {
      finishReason: result.finishReason,
      aborted: result.aborted,
      latencyMs: result.latencyMs,
      firstTokenMs: result.firstTokenMs,
      ...(result.usage === null && usage ? { usageEstimated: true } : {}),
      ...(input.cacheHit ? { cacheHit: true } : {}),
      ...(pictures ? { pictures: pictures.stored.length } : {}),
      ...(result.error ? { error: result.error.message } : {}),
    },
  };
  const ledger = settlementSql(reservation, settlement);
  // The answer and the viewed leaf are written after the ledger (they read `settled`): the order
  // admission writes in, so a turn settling and the next one being admitted never deadlock.
  // Bound and sent by the driver; a drawing's transaction sends it through its own EntityManager.
  const write = async (db: EntityManager): Promise<TurnOutcome['after']> => {
    const [row] = await directSql(db).execute<ListedConversationRow & { day_requests: number; day_cache_hits: number; month_tokens: string; month_reserved: string }>(
      `with ${ledger.sql},
         answer as (
           insert into messages (id, conversation_id, parent_id, role, content, model, provider, prompt_tokens, completion_tokens, cost_micros, preset_id, metadata, created_at)
           select ?::uuid, ?::uuid, ?::uuid, 'assistant', ?::text, ?::varchar, ?::varchar, ?::int, ?::int, ?::bigint, ?::uuid, ?::jsonb, ?::timestamptz
           from (select count(*) from settled) as after_ledger
           returning id)
       update conversations set updated_at = ?, active_leaf_id = case when active_leaf_id in (?, ?) then ? else active_leaf_id end
       where id = ? and (select count(*) from answer) = 1
       returning ${LISTED_COLUMNS}, (select requests from daily) as day_requests, (select cache_hits from daily) as day_cache_hits,
         (select tokens from settled) as month_tokens, (select reserved_tokens from settled) as month_reserved`,
      [
        ...ledger.params,
        message.id,
        input.conversation.id,
        input.after.id,
        message.content,
        message.model,
        message.provider,
        message.promptTokens,
        message.completionTokens,
        message.costMicros,
        input.preset?.id ?? null,
        JSON.stringify(message.metadata),
        createdAt,
        createdAt,
        input.leafBefore,
        input.after.id,
        message.id,
        input.conversation.id,
      ],
    );
    if (!row) return null;
    const counters = { requests: Number(row.day_requests), cacheHits: Number(row.day_cache_hits), tokens: Number(row.month_tokens), reservedTokens: Number(row.month_reserved) };
    return { conversation: shapeConversationRow(row), ledger: { ...counters, day: reservation.day, month: reservation.month } };
  };
  if (!pictures?.stored.length) {
    const after = await write(em);
    return { status, assistantMessage: message, pictures: [], error, after };
  }
  // On a fork of its own: `em` is the request's, and a transaction on it would flush what it manages.
  return em.fork().transactional(async (tx) => {
    const after = await write(tx);
    const kept = pictures.stored.map((picture, index) =>
      tx.create(Attachment, {
        id: picture.id,
        user: input.user.id,
        message: message.id,
        type: 'generated_image',
        name: `picture-${index + 1}.${picture.mimeType.slice('image/'.length).replace('jpeg', 'jpg')}`,
        mimeType: picture.mimeType,
        size: picture.size,
        storageKey: picture.storageKey,
        thumbnailKey: null,
        width: picture.width,
        height: picture.height,
        status: 'ready',
        createdAt,
      }),
    );
    await tx.flush();
    // The assistant's pictures count towards the user's storage, but never refuse an answer already paid for.
    await addStorage(tx, input.user.id, kept.reduce((sum, picture) => sum + picture.size, 0));
    return { status, assistantMessage: message, pictures: kept, error, after };
  });
}
