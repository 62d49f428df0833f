import { ProviderError, type AnswerFinishReason } from '@atrium/ai';
import type { ValidApiKey } from '@atrium/auth';
import { LimitExceededError, NotFoundError, UnavailableError, type EntityManager, type IUser } from '@atrium/db';
import express, { type NextFunction, type Request, type Response } from 'express';
import { authenticateApiKey } from '../routers/apiKeys/apiKeys.service';
import { listUsableModels } from '../routers/models/models.service';
import { requestLog } from '../observability/log';
import type { ApiRuntime } from '../server/runtime';
import { CompletionRequestError, findApiModel, startCompletion, type Completion } from './completions.service';
import { parseChatCompletionRequest, type ChatCompletionRequest } from './openai.schema';

/**
 * The OpenAI-compatible API at `/v1`: `GET /models`, `GET /models/:id` and
 * `POST /chat/completions` (JSON or server-sent events), authenticated with a personal API key,
 * answered in OpenAI's shapes and error bodies so the official SDKs and the tools built on them work.
 */
export function createOpenAiRouter(runtime: ApiRuntime) {
  const router = express.Router();
  router.use(express.json({ limit: '4mb' }));
  router.use(asyncHandler(authenticate(runtime)));

  router.get(
    '/models',
    asyncHandler(async (_req, res) => {
      const { user, em } = caller(res);
      const models = await listUsableModels(em, user, runtime.config.providers);
      res.json({ object: 'list', data: models.map(modelObject) });
    }),
  );
  router.get(
    '/models/:id',
    asyncHandler(async (req, res) => {
      const { user, em } = caller(res);
      res.json(modelObject(await findApiModel(em, user, runtime.config, String(req.params.id))));
    }),
  );
  router.post('/chat/completions', asyncHandler(chatCompletions(runtime)));
  router.use((_req: Request, res: Response) => {
    sendError(res, 404, { message: 'Unknown endpoint. This server offers /v1/models and /v1/chat/completions.', type: 'invalid_request_error', code: 'unknown_url' });
  });
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => handleError(error, req, res, runtime.config.now()));
  return router;
}

type Caller = { user: IUser; apiKey: ValidApiKey; em: EntityManager };
const caller = (res: Response) => res.locals.caller as Caller;

function authenticate(runtime: ApiRuntime) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const em = runtime.orm.em.fork();
    const found = key ? await authenticateApiKey(em, key, { ip: req.ip ?? null, now: runtime.config.now }) : null;
    found?.touched.catch((error: unknown) => requestLog(req).warn({ err: error, userId: found.user.id }, 'recording when an API key was last used failed'));
    if (!found) {
      sendError(res, 401, {
        message: key
          ? 'Incorrect, expired or revoked API key. Create a key on the API keys page of Atrium.'
          : 'Missing API key. Send it as "Authorization: Bearer atr_…".',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
      return;
    }
    res.locals.caller = { ...found, em } satisfies Caller;
    next();
  };
}

const modelObject = (model: { id: string; createdAt?: Date }) => ({
  id: model.id,
  object: 'model' as const,
  created: Math.floor((model.createdAt?.getTime() ?? 0) / 1000),
  owned_by: 'atrium',
});

function chatCompletions(runtime: ApiRuntime) {
  return async (req: Request, res: Response) => {
    const parsed = parseChatCompletionRequest(req.body);
    if (!parsed.ok) {
      sendError(res, 400, { ...parsed.problem, type: 'invalid_request_error' });
      return;
    }
    const { user, apiKey, em } = caller(res);
    // A client that hangs up stops the upstream call; the partial answer is still settled.
    const hangUp = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) hangUp.abort(new Error('The client closed the connection.'));
    });
    const completion = await startCompletion(em, runtime.config, { user, apiKeyId: apiKey.id, request: parsed.request, signal: hangUp.signal });
    if (parsed.request.stream) await streamCompletion(res, completion, parsed.request);
    else await respondWithCompletion(res, completion);
  };
}

async function respondWithCompletion(res: Response, completion: Completion) {
  for await (const _delta of completion.stream.textStream);
  const { result, status, usage } = await completion.finished;
  if (status === 'aborted' || res.destroyed) return;
  if (status === 'failed') {
    sendUpstreamError(res, result.error);
    return;
  }
  res.json({
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model.id,
    system_fingerprint: null,
    choices: [{ index: 0, message: { role: 'assistant', content: result.text, refusal: null }, logprobs: null, finish_reason: finishReason(result.finishReason) }],
    usage: usageObject(usage),
  });
}

async function streamCompletion(res: Response, completion: Completion, request: ChatCompletionRequest) {
  const includeUsage = request.stream_options?.include_usage === true;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform keeps compression middleware from buffering the events.
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (data: unknown) => {
    if (!res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const chunk = (delta: Record<string, string>, finish: string | null) => ({
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model.id,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });

  send(chunk({ role: 'assistant', content: '' }, null));
  for await (const delta of completion.stream.textStream) send(chunk({ content: delta }, null));
  const { result, status, usage } = await completion.finished;
  if (status === 'aborted' || res.destroyed) return;
  if (status === 'failed') {
    send({ error: upstreamErrorBody(result.error) });
  } else {
    send(chunk({}, finishReason(result.finishReason)));
    if (includeUsage) send({ ...chunk({}, null), choices: [], usage: usageObject(usage) });
  }
  res.end('data: [DONE]\n\n');
}

function finishReason(reason: AnswerFinishReason) {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  return 'stop';
}

const usageObject = (usage: { promptTokens: number; completionTokens: number } | null) => ({
  prompt_tokens: usage?.promptTokens ?? 0,
  completion_tokens: usage?.completionTokens ?? 0,
  total_tokens: (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0),
});

type ErrorBody = { message: string; type: string; param?: string | null; code?: string | null; [extra: string]: unknown };

function sendError(res: Response, status: number, body: ErrorBody, headers: Record<string, string> = {}) {
  res.status(status).set(headers).json({ error: { param: null, code: null, ...body } });
}

const upstreamErrorBody = (error: ProviderError | undefined): ErrorBody => ({
  message: error?.message ?? 'The model failed to answer. Please try again.',
  type: 'api_error',
  param: null,
  code: error?.kind === 'timeout' ? 'upstream_timeout' : 'upstream_error',
});

function sendUpstreamError(res: Response, error: ProviderError | undefined) {
  sendError(res, error?.kind === 'timeout' ? 504 : 502, upstreamErrorBody(error));
}

/** 429 as OpenAI sends it: which limit, how many, and when it resets (headers and body). */
function sendLimitExceeded(res: Response, error: LimitExceededError, now: Date) {
  const details = error.details as { limit: 'dailyRequests' | 'monthlyTokens'; max: number; remaining: number; resetsAt: string };
  const kind = details.limit === 'dailyRequests' ? 'requests' : 'tokens';
  const resetsAt = new Date(details.resetsAt);
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
  sendError(
    res,
    429,
    {
      message: `${error.message} The limit is ${details.max} ${kind === 'requests' ? 'requests per day' : 'tokens per month'} and resets at ${details.resetsAt}.`,
      type: kind,
      code: 'rate_limit_exceeded',
      limit: details.max,
      remaining: details.remaining,
      resets_at: details.resetsAt,
    },
    {
      'retry-after': String(seconds),
      [`x-ratelimit-limit-${kind}`]: String(details.max),
      [`x-ratelimit-remaining-${kind}`]: String(details.remaining),
      [`x-ratelimit-reset-${kind}`]: `${seconds}s`,
    },
  );
}

function handleError(error: unknown, req: Request, res: Response, now: Date) {
  if (res.headersSent) {
    res.end();
    return;
  }
  const status = (error as { status?: number; type?: string }).status;
  if ((error as { type?: string }).type === 'entity.parse.failed') {
    sendError(res, 400, { message: 'The request body is not valid JSON.', type: 'invalid_request_error' });
  } else if (status === 413) {
    sendError(res, 413, { message: 'The request body is too large.', type: 'invalid_request_error' });
  } else if (error instanceof CompletionRequestError) {
    sendError(res, 400, { message: error.message, type: 'invalid_request_error', param: error.param, code: error.code });
  } else if (error instanceof NotFoundError) {
    sendError(res, 404, { message: error.message, type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
  } else if (error instanceof LimitExceededError) {
    sendLimitExceeded(res, error, now);
  } else if (error instanceof ProviderError) {
    sendError(res, 503, { message: error.message, type: 'api_error', code: 'model_unavailable' });
  } else if (error instanceof UnavailableError) {
    // This replica is stopping: another one will take the retry.
    sendError(res, 503, { message: error.message, type: 'api_error', code: 'server_shutting_down' });
  } else {
    requestLog(req).error({ err: error }, 'OpenAI-compatible request failed');
    sendError(res, 500, { message: 'Something went wrong on our side. Please try again.', type: 'api_error' });
  }
}

const asyncHandler =
  (handler: (req: Request, res: Response, next: NextFunction) => Promise<void> | void) => (req: Request, res: Response, next: NextFunction) =>
    Promise.resolve(handler(req, res, next)).catch(next);
