import {
  assemblePrompt,
  streamAnswer,
  type AnswerResult,
  type AssemblePromptInput,
  type AnswerStream,
} from '@atrium/ai';
import {
  Conversation,
  Message,
  NotFoundError,
  Preset,
  UserPreference,
  type EntityManager,
  type IAttachment,
  type IConversation,
  type IMessage,
  type IModel,
  type IPreset,
  type IUser,
} from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { PostgresFileStore, type FileStore } from '../../files';
import { lookUpAnswer, replayAnswer } from '../cache/cache.service';
import { aiIdentity } from '../../platform/platform.parts';
import { resolveModel } from '../models/models.service';
import { historyWindow, type HistoryMessage } from '../summaries/summaries.service';
import { answerUsage } from '../usage/answer-usage';
import { renewLease } from '../usage/leases.service';
import { admit, settle, type Reservation } from '../usage/limits.service';
import { enqueueAfterTurn } from './after-work';
import { createChannel, type Channel } from './channel';
import { createConversation, findOwnConversation } from './conversations.service';
import { attachToMessage, loadTurnAttachments, promptAttachments } from './turn-attachments';
import { refId } from './tree.service';

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

export type TurnOutcome = {
  status: 'completed' | 'aborted' | 'failed';
  assistantMessage: IMessage | null;
  error: string | null;
};

export type ChatTurn = {
  conversation: IConversation;
  userMessage: IMessage;
  model: IModel;
  /** The files that went with the question. */
  attachments: IAttachment[];
  /** Text deltas as the upstream produces them (or coalesced, through `deltas.batches`). */
  deltas: Channel<string>;
  /** Settles once the answer is saved and usage is settled, whether or not anyone read the deltas. */
  finished: Promise<TurnOutcome>;
  /** Settles once the work after the answer (caching it, the summary, the title) is enqueued as jobs: it never delays the answer. */
  afterWork: Promise<void>;
};

/**
 * One chat turn, as a pipeline of named steps:
 * authorize → admit (limits) → assemble prompt → look up the answer cache → stream (or replay
 * the cached answer) → settle usage + persist → after-work jobs (title, cache, summary).
 */
export async function startTurn(em: EntityManager, config: ServiceConfig, request: TurnRequest): Promise<ChatTurn> {
  const { conversation, isNew } = await authorize(em, request);
  // A refused first message (over a limit, say) leaves no empty conversation behind.
  const prepared = await (async () => {
    const preset = await choosePreset(em, request, conversation);
    const model = await resolveModel(em, request.user, config.providers, [
      request.modelId,
      refId(conversation.model),
      refId(preset?.model),
      request.user.selectedModel,
    ]);
    const { userText, existingUserMessage, parentId, history, summary } = await loadTurnMessages(em, request, conversation);
    // Files go with the question: refused here (someone else's, still being read, pictures for a blind model) before any call.
    const attachments = await loadTurnAttachments(em, {
      user: request.user,
      attachmentIds: request.kind === 'send' ? (request.attachmentIds ?? []) : [],
      existingUserMessage,
      model,
      providers: config.providers,
    });
    const files = await promptAttachments(em, request.files ?? new PostgresFileStore(em), { user: request.user, turn: attachments, history });
    const { prompt, identity } = await assemble(em, request.user, preset, model, history, summary, userText, config, files);
    const answerCap = preset?.maxTokens ?? Math.min(DEFAULT_ANSWER_TOKENS, Math.floor(model.contextWindow / 4));
    // Only a question without context (the first message of a conversation) can be answered from the cache.
    const cache =
      request.kind === 'send' && history.length === 0 && summary === null && attachments.length === 0
        ? await lookUpAnswer(
            em,
            request.user,
            { question: userText, modelId: model.id, preset, identityRevision: identity.revision, system: prompt.system },
            config.now(),
          )
        : null;
    const cached = cache?.hit ?? null;

    // The user's message is written in the admission's transaction: one round of commits, and a refused turn leaves none.
    let userMessage: IMessage | null = existingUserMessage;
    const reservation = await admit(em, {
      user: request.user,
      model,
      // A cached answer uses no tokens; it counts against the day's requests until it is settled as a hit.
      reserveTokens: cached ? 0 : Math.ceil(prompt.estimatedPromptTokens * PROMPT_ESTIMATE_MARGIN) + answerCap,
      now: config.now(),
      timeZone: config.usageTimeZone,
      conversationId: conversation.id,
      promptEstimate: prompt.estimatedPromptTokens,
      leaseMs: config.lease.ms,
      ...(existingUserMessage
        ? {}
        : {
            alsoWrite: async (tx) => {
              userMessage = await persistUserMessage(tx, conversation, { content: userText, parentId, preset, config });
              // The files join the question in the same transaction: a refused turn leaves them unsent.
              await attachToMessage(tx, request.user, attachments, userMessage);
            },
          }),
    });
    return { preset, model, userText, existingUserMessage, userMessage: userMessage!, attachments, prompt, answerCap, cache, cached, reservation };
  })().catch(async (error: unknown) => {
    if (isNew) await em.nativeDelete(Conversation, { id: conversation.id });
    throw error;
  });
  const { preset, model, existingUserMessage, userMessage, attachments, prompt, answerCap, cache, cached, reservation } = prepared;
  // The viewed leaf before the answer: the answer becomes the viewed leaf only if the student is still there.
  const leafBefore = existingUserMessage ? refId(conversation.activeLeaf) : null;

  let stream: AnswerStream;
  try {
    stream = cached
      ? replayAnswer(cached.answer)
      : streamAnswer({
          model,
          settings: config.providers,
          prompt,
          temperature: preset?.temperature == null ? null : Number(preset.temperature),
          maxTokens: answerCap,
          abortSignal: request.signal,
          timeoutMs: config.llm.timeoutMs,
          ...(config.llm.firstTokenTimeoutMs ? { firstTokenTimeoutMs: config.llm.firstTokenTimeoutMs } : {}),
        });
  } catch (error) {
    await settle(em.fork(), reservation, { outcome: 'failed' });
    throw error;
  }

  const channel = createChannel<string>();
  const pumped = (async () => {
    const lease = keepLeaseAlive(em, reservation, config);
    try {
      for await (const delta of stream.textStream) {
        lease.text += delta;
        channel.push(delta);
      }
    } finally {
      await lease.stop();
    }
    channel.close();
    return stream.result;
  })();
  const finished = pumped.then((result) =>
    saveAnswer(em.fork(), {
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
  // Nobody may be listening any more (the browser left): failures still surface in the log.
  finished.catch((error: unknown) => console.error('[chat] saving an answer failed:', error));
  const afterWork = finished.then(
    (outcome) =>
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
        cache: cache ? { key: cache.key, hitId: cache.hit?.id ?? null } : null,
      }).catch((error: unknown) => console.error('[chat] enqueueing after-work failed:', error)),
    // A failed save is logged above; there is nothing to do after it.
    () => undefined,
  );
  pendingAfterWork.add(afterWork);
  void afterWork.then(() => pendingAfterWork.delete(afterWork));
  return { conversation, userMessage, model, attachments, deltas: channel, finished, afterWork };
}

const pendingAfterWork = new Set<Promise<void>>();

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
 */
function keepLeaseAlive(em: EntityManager, reservation: Reservation, config: ServiceConfig) {
  const state = { text: '', saved: '' };
  let renewing: Promise<void> = Promise.resolve();
  let renewedAt = Date.now();
  const timer = reservation.leaseId
    ? setInterval(() => {
        // New text to keep, or half the lease gone during a long silence: one statement either way.
        if (state.text === state.saved && Date.now() - renewedAt < config.lease.ms / 2) return;
        const text = state.text;
        renewedAt = Date.now();
        renewing = renewLease(em.fork(), reservation.leaseId!, { expiresAt: new Date(config.now().getTime() + config.lease.ms), partialText: text })
          .then(() => void (state.saved = text))
          .catch((error: unknown) => console.error('[chat] renewing a lease failed:', error));
      }, config.lease.renewMs)
    : null;
  timer?.unref();
  return Object.assign(state, {
    async stop() {
      if (timer) clearInterval(timer);
      await renewing;
    },
  });
}


async function authorize(em: EntityManager, request: TurnRequest) {
  if (request.kind === 'send' && !request.conversationId) {
    const conversation = await createConversation(em, request.user, { presetId: request.presetId ?? null, modelId: request.modelId ?? null });
    return { conversation, isNew: true };
  }
  return { conversation: await findOwnConversation(em, request.user, request.conversationId!), isNew: false };
}

async function choosePreset(em: EntityManager, request: TurnRequest, conversation: IConversation): Promise<IPreset | null> {
  const presetId = request.presetId !== undefined ? request.presetId : refId(conversation.preset) ?? refId(request.user.activePreset);
  if (!presetId) return null;
  const preset = await em.findOne(Preset, { id: presetId, $or: [{ isGlobal: true }, { owner: request.user.id }] });
  if (!preset && request.presetId) throw new NotFoundError('No such preset.');
  return preset;
}

/**
 * The user's text, where it goes in the tree, the history before it (the branch from the root
 * to its parent) and the summary of what came before that history (`historyWindow` keeps it
 * bounded however long the branch grows). A new question follows the viewed leaf; an edited
 * one becomes a sibling of the question it replaces; regenerating reuses the question of the
 * answer being replaced (or the unanswered question at the end of the branch).
 */
async function loadTurnMessages(em: EntityManager, request: TurnRequest, conversation: IConversation) {
  if (request.kind === 'send') {
    const parentId = request.editOf ? refId((await ownQuestion(em, conversation, request.editOf)).parent) : refId(conversation.activeLeaf);
    const { summary, messages: history } = await historyWindow(em, conversation.id, parentId, HISTORY_MESSAGES);
    return { userText: request.content, existingUserMessage: null, parentId, history, summary };
  }
  const targetId = request.messageId ?? refId(conversation.activeLeaf);
  const target = targetId ? await em.findOne(Message, { id: targetId, conversation: conversation.id }) : null;
  if (!target) throw new NotFoundError('There is no question in this conversation to answer again.');
  const question = target.role === 'user' ? target : await ownQuestion(em, conversation, refId(target.parent));
  const parentId = refId(question.parent);
  const { summary, messages: history } = await historyWindow(em, conversation.id, parentId, HISTORY_MESSAGES);
  return { userText: question.content, existingUserMessage: question, parentId, history, summary };
}

async function ownQuestion(em: EntityManager, conversation: IConversation, messageId: string | null) {
  const question = messageId ? await em.findOne(Message, { id: messageId, conversation: conversation.id, role: 'user' }) : null;
  if (!question) throw new NotFoundError('No such question in this conversation.');
  return question;
}

async function assemble(
  em: EntityManager,
  user: IUser,
  preset: IPreset | null,
  model: IModel,
  history: HistoryMessage[],
  summary: string | null,
  userText: string,
  config: ServiceConfig,
  files: Pick<AssemblePromptInput, 'documents' | 'images'> = {},
) {
  const [identity, memory] = await Promise.all([
    aiIdentity(em),
    em.find(UserPreference, { user: user.id, isActive: true }, { orderBy: { category: 'asc', key: 'asc' } }),
  ]);
  const prompt = assemblePrompt({
    identity,
    preset,
    user,
    memory: memory.map(({ key, value }) => ({ key, value })),
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

/** The question joins the tree under its parent and becomes the end of the viewed branch (written in the admission's transaction). */
async function persistUserMessage(
  tx: EntityManager,
  conversation: IConversation,
  input: { content: string; parentId: string | null; preset: IPreset | null; config: ServiceConfig },
) {
  const now = input.config.now();
  const message = tx.create(Message, {
    conversation: conversation.id,
    parent: input.parentId,
    role: 'user',
    content: input.content,
    preset: input.preset?.id ?? null,
    createdAt: now,
  });
  await tx.flush();
  await tx.nativeUpdate(Conversation, { id: conversation.id }, { updatedAt: now, activeLeaf: message.id });
  conversation.updatedAt = now;
  return message;
}

type SaveAnswer = {
  conversation: IConversation;
  model: IModel;
  preset: IPreset | null;
  reservation: Reservation;
  result: AnswerResult;
  estimatedPromptTokens: number;
  after: IMessage;
  /** The viewed leaf when the turn started: the answer replaces it in view unless the student moved on. */
  leafBefore: string;
  config: ServiceConfig;
  /** Replayed from the answer cache: no tokens were used, and usage records a hit. */
  cacheHit: boolean;
};

/**
 * Settles usage and writes the assistant message in one transaction. A failed answer gives
 * the request back and records no tokens; a stopped one keeps its partial text, and when the
 * provider reported no usage for it, the estimate is recorded and marked as such.
 */
async function saveAnswer(em: EntityManager, input: SaveAnswer): Promise<TurnOutcome> {
  const { result, model, reservation } = input;
  const { status, usage, cost, settlement } = answerUsage(model, result, input.estimatedPromptTokens, input.cacheHit);
  const keepMessage = status !== 'failed' || result.text.length > 0;

  return em.transactional(async (tx) => {
    await settle(tx, reservation, settlement);
    if (!keepMessage) return { status, assistantMessage: null, error: result.error?.message ?? null };
    const createdAt = new Date(Math.max(input.config.now().getTime(), input.after.createdAt.getTime() + 1));
    const message = tx.create(Message, {
      conversation: input.conversation.id,
      parent: input.after.id,
      role: 'assistant',
      content: result.text,
      model: model.id,
      provider: model.provider,
      promptTokens: usage?.promptTokens ?? null,
      completionTokens: usage?.completionTokens ?? null,
      costMicros: usage ? cost : null,
      preset: input.preset?.id ?? null,
      createdAt,
      metadata: {
        finishReason: result.finishReason,
        aborted: result.aborted,
        latencyMs: result.latencyMs,
        firstTokenMs: result.firstTokenMs,
        ...(result.usage === null && usage ? { usageEstimated: true } : {}),
        ...(input.cacheHit ? { cacheHit: true } : {}),
        ...(result.error ? { error: result.error.message } : {}),
      },
    });
    await tx.flush();
    await tx.execute(
      `update conversations set updated_at = ?, active_leaf_id = case when active_leaf_id in (?, ?) then ? else active_leaf_id end where id = ?`,
      [createdAt, input.leafBefore, input.after.id, message.id, input.conversation.id],
    );
    return { status, assistantMessage: message, error: result.error?.message ?? null };
  });
}
