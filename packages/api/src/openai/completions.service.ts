import { randomUUID } from 'node:crypto';
import { estimateMessageTokens, fallbackTitle, identitySection, ProviderError, streamAnswerOnceAdmitted, type AnswerResult, type AnswerStream, type TokenUsage } from '@atrium/ai';
import { Conversation, Message, NotFoundError, ValidationError, type EntityManager, type IModel, type IUser } from '@atrium/db';
import type { ModelMessage } from 'ai';
import type { ServiceConfig } from '../context';
import { loadApiSettings } from '../routers/apiKeys/apiKeys.service';
import { DEFAULT_ANSWER_TOKENS, PROMPT_ESTIMATE_MARGIN } from '../routers/chat/chat.service';
import { aiIdentity } from '../platform/platform.parts';
import { identityIn, identityLanguageOf } from '../routers/identity/identity.service';
import { listUsableModels } from '../routers/models/models.service';
import { answerUsage, type AnswerStatus } from '../routers/usage/answer-usage';
import { admit, settle, type Reservation, type Settlement } from '../routers/usage/limits.service';
import { logger } from '../observability/log';
import { recordAnswer, upstreamErrors } from '../observability/metrics';
import { messageText, type ChatCompletionRequest } from './openai.schema';

/** A request problem with the OpenAI field it is about. */
export class CompletionRequestError extends ValidationError {
  constructor(
    message: string,
    readonly param: string | null,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The model the key's owner asked for, among those they may use (hidden, disabled and zero-limit models are not found). */
export async function findApiModel(em: EntityManager, user: IUser, config: ServiceConfig, id: string) {
  const model = (await listUsableModels(em, user, config.providers)).find((candidate) => candidate.id === id);
  if (!model) throw new NotFoundError(`The model '${id}' does not exist or you do not have access to it.`);
  return model;
}

export type CompletionOutcome = { result: AnswerResult; status: AnswerStatus; usage: TokenUsage | null };

export type Completion = {
  id: string;
  created: number;
  model: IModel;
  stream: AnswerStream;
  /** Settles once usage is settled (and the exchange stored, when admins keep API conversations). */
  finished: Promise<CompletionOutcome>;
};

/**
 * One API completion, the web chat's pipeline without a conversation:
 * find the model → assemble the prompt (identity per the admin setting) → admit (the same
 * limits and reservation) → stream → settle on the same ledger, recorded as API usage of the key
 * → keep it as a conversation only when admins chose so.
 */
export async function startCompletion(
  em: EntityManager,
  config: ServiceConfig,
  input: { user: IUser; apiKeyId: string; request: ChatCompletionRequest; signal: AbortSignal },
): Promise<Completion> {
  const { user, request } = input;
  config.answers.assertAccepting();
  const model = await findApiModel(em, user, config, request.model);
  // A drawing model answers with pictures, which chat completions cannot carry: refused before any call.
  if (model.supportsImageGeneration) throw new ValidationError(`The model '${model.id}' makes images; it does not answer chat completions.`);
  const settings = await loadApiSettings(em);
  const prompt = await assemble(em, user, request, settings.applyIdentity);
  const answerCap = answerCapOf(request, model, prompt.estimatedPromptTokens);

  const running = config.answers.begin(input.signal);
  // The SDK builds the upstream request while the admission's round trip runs; it leaves once admitted, never when refused.
  const sendAnswer = Promise.withResolvers<boolean>();
  const answer = streamAnswerOnceAdmitted({
    model,
    settings: config.providers,
    prompt,
    temperature: request.temperature ?? null,
    topP: request.top_p ?? null,
    presencePenalty: request.presence_penalty ?? null,
    frequencyPenalty: request.frequency_penalty ?? null,
    seed: request.seed ?? null,
    stopSequences: request.stop == null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop,
    maxTokens: answerCap,
    abortSignal: running.signal,
    timeoutMs: config.llm.timeoutMs,
    ...(config.llm.firstTokenTimeoutMs ? { firstTokenTimeoutMs: config.llm.firstTokenTimeoutMs } : {}),
    sendWhen: sendAnswer.promise,
  });
  const reservation = await admit(em, {
    user,
    model,
    reserveTokens: Math.ceil(prompt.estimatedPromptTokens * PROMPT_ESTIMATE_MARGIN) + answerCap,
    now: config.now(),
    timeZone: config.usageTimeZone,
  }).catch((error: unknown) => {
    sendAnswer.resolve(false);
    throw error;
  });

  let stream: AnswerStream;
  try {
    stream = answer();
    sendAnswer.resolve(true);
  } catch (error) {
    sendAnswer.resolve(false);
    if (error instanceof ProviderError) upstreamErrors.inc({ model: model.id, kind: error.kind });
    await settle(em.fork(), reservation, { outcome: 'failed' });
    throw error;
  }

  const finished = stream.result.then((result) => {
    recordAnswer(model.id, result);
    return settleCompletion(em.fork(), {
      result,
      model,
      reservation,
      apiKeyId: input.apiKeyId,
      estimatedPromptTokens: prompt.estimatedPromptTokens,
      store: settings.storeConversations ? { user, request } : null,
      now: config.now(),
    });
  });
  // The caller may be gone (a closed connection): failures still reach the log.
  running.track(finished);
  finished.catch((error: unknown) => logger.error({ err: error, model: model.id }, 'settling a completion failed'));
  return { id: `chatcmpl-${randomUUID().replace(/-/g, '')}`, created: Math.floor(config.now().getTime() / 1000), model, stream, finished };
}

/** The caller's system and developer messages follow Atrium's identity when admins apply it; the rest is the conversation as sent. */
async function assemble(em: EntityManager, user: IUser, request: ChatCompletionRequest, applyIdentity: boolean) {
  const system: string[] = applyIdentity ? [identitySection(identityIn(await aiIdentity(em), identityLanguageOf(user)))] : [];
  const messages: ModelMessage[] = [];
  for (const message of request.messages) {
    const text = messageText(message.content);
    if (message.role === 'system' || message.role === 'developer') system.push(text);
    else if (message.role === 'user') messages.push({ role: 'user', content: text });
    else if (text) messages.push({ role: 'assistant', content: text });
  }
  if (!messages.some((message) => message.role === 'user')) {
    throw new CompletionRequestError("'messages' must contain at least one user message.", 'messages', 'invalid_value');
  }
  const systemText = system.filter((part) => part.trim()).join('\n\n');
  const estimatedPromptTokens =
    (systemText ? estimateMessageTokens(systemText) : 0) + messages.reduce((sum, message) => sum + estimateMessageTokens(String(message.content)), 0);
  return { system: systemText, messages, estimatedPromptTokens };
}

/** The answer's cap, which is also what admission reserves; a prompt that cannot fit is refused as OpenAI does. */
function answerCapOf(request: ChatCompletionRequest, model: IModel, estimatedPromptTokens: number) {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? null;
  const param = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  if (asked !== null && asked > model.contextWindow) {
    throw new CompletionRequestError(
      `'${param}' is too large: ${model.id} has a context window of ${model.contextWindow} tokens.`,
      param,
      'invalid_value',
    );
  }
  const cap = asked ?? Math.min(DEFAULT_ANSWER_TOKENS, Math.floor(model.contextWindow / 4));
  if (estimatedPromptTokens + cap > model.contextWindow) {
    throw new CompletionRequestError(
      `This model's context window is ${model.contextWindow} tokens; the messages (about ${estimatedPromptTokens} tokens) and the answer (${cap}) do not fit. Shorten the messages or lower '${param}'.`,
      'messages',
      'context_length_exceeded',
    );
  }
  return cap;
}

/**
 * Settles the reservation exactly as the web chat does (`answerUsage` + `settle`), recording the
 * request on the key's API channel in the same statement, and keeps the exchange as a
 * conversation when admins enabled that (then in one transaction with it).
 */
async function settleCompletion(
  em: EntityManager,
  input: {
    result: AnswerResult;
    model: IModel;
    reservation: Reservation;
    apiKeyId: string;
    estimatedPromptTokens: number;
    store: { user: IUser; request: ChatCompletionRequest } | null;
    now: Date;
  },
): Promise<CompletionOutcome> {
  const { result, model, reservation } = input;
  const { status, usage, cost, settlement, estimated } = answerUsage(model, result, input.estimatedPromptTokens);
  const apiUsage = apiUsageSql(input.apiKeyId, reservation, settlement);
  const store = input.store && (status !== 'failed' || result.text) ? input.store : null;
  if (!store) {
    await settle(em, reservation, settlement, apiUsage);
    return { result, status, usage };
  }
  await em.transactional(async (tx) => {
    await settle(tx, reservation, settlement, apiUsage);
    storeExchange(tx, store.user, store.request, model, {
      text: result.text,
      usage,
      cost,
      now: input.now,
      metadata: {
        channel: 'api',
        finishReason: result.finishReason,
        aborted: result.aborted,
        latencyMs: result.latencyMs,
        firstTokenMs: result.firstTokenMs,
        ...(estimated ? { usageEstimated: true } : {}),
        ...(result.error ? { error: result.error.message } : {}),
      },
    });
  });
  return { result, status, usage };
}

/**
 * The API channel of the ledger, per key, as a common table expression of the settlement's
 * statement (it reads `settled`, so it writes after the ledger); a failed request was given
 * back, so it is not counted.
 */
function apiUsageSql(apiKeyId: string, reservation: Reservation, settlement: Settlement): { sql: string; params: unknown[] } | null {
  if (settlement.outcome !== 'completed') return null;
  return {
    // Typed: a SELECT's untyped values would be text, which the columns do not take.
    sql: `api_usage as (
            insert into api_usage_daily (id, api_key_id, user_id, date, model, requests, prompt_tokens, completion_tokens, cost_micros)
            select ?::uuid, ?::uuid, ?::uuid, ?::date, ?::varchar, 1, ?::bigint, ?::bigint, ?::bigint from (select count(*) from settled) as after_ledger
            on conflict (api_key_id, date, model) do update set
              requests = api_usage_daily.requests + 1,
              prompt_tokens = api_usage_daily.prompt_tokens + excluded.prompt_tokens,
              completion_tokens = api_usage_daily.completion_tokens + excluded.completion_tokens,
              cost_micros = api_usage_daily.cost_micros + excluded.cost_micros)`,
    params: [randomUUID(), apiKeyId, reservation.userId, reservation.day, reservation.modelId, settlement.promptTokens, settlement.completionTokens, settlement.costMicros],
  };
}

function storeExchange(
  em: EntityManager,
  user: IUser,
  request: ChatCompletionRequest,
  model: IModel,
  answer: { text: string; usage: TokenUsage | null; cost: number; now: Date; metadata: Record<string, unknown> },
) {
  const sent = request.messages.filter((message) => message.role === 'user' || message.role === 'assistant');
  const lastQuestion = sent.findLast((message) => message.role === 'user');
  const start = answer.now.getTime() - sent.length - 1;
  const conversation = em.create(Conversation, {
    user: user.id,
    title: fallbackTitle(messageText(lastQuestion?.content ?? '')),
    model: model.id,
    createdAt: new Date(start),
    updatedAt: answer.now,
  });
  sent.forEach((message, index) => {
    em.create(Message, {
      conversation,
      role: message.role,
      content: messageText(message.content),
      createdAt: new Date(start + index),
      metadata: { channel: 'api' },
    });
  });
  em.create(Message, {
    conversation,
    role: 'assistant',
    content: answer.text,
    model: model.id,
    provider: model.provider,
    promptTokens: answer.usage?.promptTokens ?? null,
    completionTokens: answer.usage?.completionTokens ?? null,
    costMicros: answer.usage ? answer.cost : null,
    createdAt: answer.now,
    metadata: answer.metadata,
  });
}
