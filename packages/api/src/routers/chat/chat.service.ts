import {
  assemblePrompt,
  costMicros,
  estimateTokens,
  generateTitle,
  streamAnswer,
  type AnswerResult,
  type AnswerStream,
} from '@atrium/ai';
import {
  Conversation,
  ConversationSummary,
  Message,
  NotFoundError,
  Preset,
  UserPreference,
  type EntityManager,
  type IConversation,
  type IMessage,
  type IModel,
  type IPreset,
  type IUser,
} from '@atrium/db';
import type { ServiceConfig } from '../../context';
import { loadIdentity } from '../identity/identity.router';
import { resolveModel } from '../models/models.service';
import { admit, settle, type Reservation } from '../usage/limits.service';
import { createChannel } from './channel';
import { createConversation, findOwnConversation } from './conversations.service';

/** Without a preset's own cap, answers are capped here; the cap is also what admission reserves. */
const DEFAULT_ANSWER_TOKENS = 2048;
// Our token count is an estimate; reserving a margin above it keeps budgets from being overrun.
const PROMPT_ESTIMATE_MARGIN = 1.25;
const HISTORY_MESSAGES = 100;
const DEFAULT_TITLE = 'New chat';

export type TurnRequest = {
  user: IUser;
  signal?: AbortSignal;
  modelId?: string | null;
  presetId?: string | null;
} & ({ kind: 'send'; conversationId?: string | null; content: string } | { kind: 'regenerate'; conversationId: string });

export type TurnOutcome = {
  status: 'completed' | 'aborted' | 'failed';
  assistantMessage: IMessage | null;
  error: string | null;
};

export type ChatTurn = {
  conversation: IConversation;
  userMessage: IMessage;
  model: IModel;
  /** Text deltas as the upstream produces them. */
  deltas: AsyncIterable<string>;
  /** Settles once the answer is saved and usage is settled, whether or not anyone read the deltas. */
  finished: Promise<TurnOutcome>;
  /** Work after the answer (the title): never delays it. */
  afterWork: Promise<void>;
};

/**
 * One chat turn, as a pipeline of named steps:
 * authorize → admit (limits) → assemble prompt → stream → settle usage + persist → after-work.
 */
export async function startTurn(em: EntityManager, config: ServiceConfig, request: TurnRequest): Promise<ChatTurn> {
  const { conversation, isNew } = await authorize(em, request);
  const preset = await choosePreset(em, request, conversation);
  const model = await resolveModel(em, request.user, config.providers, [
    request.modelId,
    refId(conversation.model),
    refId(preset?.model),
    request.user.selectedModel,
  ]);
  const { userText, existingUserMessage, history } = await loadTurnMessages(em, request, conversation);
  const prompt = await assemble(em, request.user, conversation, preset, model, history, userText, config);
  const answerCap = preset?.maxTokens ?? Math.min(DEFAULT_ANSWER_TOKENS, Math.floor(model.contextWindow / 4));

  const reservation = await admit(em, {
    user: request.user,
    model,
    reserveTokens: Math.ceil(prompt.estimatedPromptTokens * PROMPT_ESTIMATE_MARGIN) + answerCap,
    now: config.now(),
    timeZone: config.usageTimeZone,
  });

  let userMessage: IMessage;
  let stream: AnswerStream;
  try {
    userMessage = existingUserMessage ?? (await persistUserMessage(em, conversation, userText, preset, config));
    if (request.kind === 'regenerate') await discardAnswersAfter(em, conversation, userMessage);
    stream = streamAnswer({
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
    for await (const delta of stream.textStream) channel.push(delta);
    channel.close();
    return stream.result;
  })();
  const finished = pumped.then((result) =>
    saveAnswer(em.fork(), { conversation, model, preset, reservation, result, estimatedPromptTokens: prompt.estimatedPromptTokens, after: userMessage, config }),
  );
  // Nobody may be listening any more (the browser left): failures still surface in the log.
  finished.catch((error: unknown) => console.error('[chat] saving an answer failed:', error));
  const afterWork = finished
    .then((outcome) =>
      isNew || conversation.title === DEFAULT_TITLE
        ? nameConversation(em.fork(), { conversation, model, reservation, userText, outcome, config })
        : undefined,
    )
    .catch((error: unknown) => console.error('[chat] naming a conversation failed:', error));
  return { conversation, userMessage, model, deltas: channel, finished, afterWork };
}

const refId = (ref: unknown) => (ref as { id: string } | null | undefined)?.id ?? null;

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

/** The user's text and the history before it; regenerating reuses the last user message. */
async function loadTurnMessages(em: EntityManager, request: TurnRequest, conversation: IConversation) {
  const recent = await em.find(Message, { conversation: conversation.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: HISTORY_MESSAGES });
  recent.reverse();
  if (request.kind === 'send') return { userText: request.content, existingUserMessage: null, history: recent };
  const lastUserIndex = recent.findLastIndex((message) => message.role === 'user');
  if (lastUserIndex < 0) throw new NotFoundError('There is no question in this conversation to answer again.');
  const lastUser = recent[lastUserIndex]!;
  return { userText: lastUser.content, existingUserMessage: lastUser, history: recent.slice(0, lastUserIndex) };
}

async function assemble(
  em: EntityManager,
  user: IUser,
  conversation: IConversation,
  preset: IPreset | null,
  model: IModel,
  history: IMessage[],
  userText: string,
  config: ServiceConfig,
) {
  const [identity, memory, summary] = await Promise.all([
    loadIdentity(em),
    em.find(UserPreference, { user: user.id, isActive: true }, { orderBy: { category: 'asc', key: 'asc' } }),
    em.findOne(ConversationSummary, { conversation: conversation.id }),
  ]);
  return assemblePrompt({
    identity,
    preset,
    user,
    memory: memory.map(({ key, value }) => ({ key, value })),
    summary: summary?.summary ?? null,
    history: history.map(({ role, content }) => ({ role, content })),
    userMessage: userText,
    contextWindow: model.contextWindow,
    maxTokens: preset?.maxTokens ?? null,
    now: config.now(),
    timeZone: config.usageTimeZone,
  });
}

async function persistUserMessage(em: EntityManager, conversation: IConversation, content: string, preset: IPreset | null, config: ServiceConfig) {
  const now = config.now();
  const message = em.create(Message, { conversation, role: 'user', content, preset: preset?.id ?? null, createdAt: now });
  conversation.updatedAt = now;
  await em.flush();
  return message;
}

async function discardAnswersAfter(em: EntityManager, conversation: IConversation, userMessage: IMessage) {
  await em.nativeDelete(Message, { conversation: conversation.id, role: 'assistant', createdAt: { $gte: userMessage.createdAt }, id: { $ne: userMessage.id } });
}

type SaveAnswer = {
  conversation: IConversation;
  model: IModel;
  preset: IPreset | null;
  reservation: Reservation;
  result: AnswerResult;
  estimatedPromptTokens: number;
  after: IMessage;
  config: ServiceConfig;
};

/**
 * Settles usage and writes the assistant message in one transaction. A failed answer gives
 * the request back and records no tokens; a stopped one keeps its partial text, and when the
 * provider reported no usage for it, the estimate is recorded and marked as such.
 */
async function saveAnswer(em: EntityManager, input: SaveAnswer): Promise<TurnOutcome> {
  const { result, model, reservation } = input;
  const status = result.aborted ? 'aborted' : result.error ? 'failed' : 'completed';
  const usage =
    status === 'failed'
      ? null
      : (result.usage ?? { promptTokens: input.estimatedPromptTokens, completionTokens: estimateTokens(result.text) });
  const cost = usage ? costMicros(model, usage) : 0;
  const keepMessage = status !== 'failed' || result.text.length > 0;

  return em.transactional(async (tx) => {
    await settle(
      tx,
      reservation,
      usage ? { outcome: 'completed', promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costMicros: cost } : { outcome: 'failed' },
    );
    if (!keepMessage) return { status, assistantMessage: null, error: result.error?.message ?? null };
    const createdAt = new Date(Math.max(input.config.now().getTime(), input.after.createdAt.getTime() + 1));
    const message = tx.create(Message, {
      conversation: input.conversation.id,
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
        ...(result.error ? { error: result.error.message } : {}),
      },
    });
    await tx.nativeUpdate(Conversation, { id: input.conversation.id }, { updatedAt: createdAt });
    return { status, assistantMessage: message, error: result.error?.message ?? null };
  });
}

/** Names a new conversation after its first complete exchange; the title call's tokens are recorded too. */
async function nameConversation(
  em: EntityManager,
  input: { conversation: IConversation; model: IModel; reservation: Reservation; userText: string; outcome: TurnOutcome; config: ServiceConfig },
) {
  if (input.outcome.status !== 'completed' || !input.outcome.assistantMessage) return;
  const title = await generateTitle({
    model: input.model,
    settings: input.config.providers,
    userMessage: input.userText,
    answer: input.outcome.assistantMessage.content,
    timeoutMs: input.config.llm.timeoutMs,
  });
  await em.transactional(async (tx) => {
    await tx.nativeUpdate(Conversation, { id: input.conversation.id, title: DEFAULT_TITLE }, { title: title.title });
    if (title.usage) {
      await settle(tx, { ...input.reservation, reservedTokens: 0 }, {
        outcome: 'completed',
        promptTokens: title.usage.promptTokens,
        completionTokens: title.usage.completionTokens,
        costMicros: costMicros(input.model, title.usage),
      });
    }
  });
}
