/**
 * The wire formats the stub speaks: OpenAI Chat Completions (with Groq's `x_groq` usage
 * variant) and the OpenAI Responses API, as JSON bodies and SSE events. Shapes follow what
 * the `@ai-sdk/*` providers parse, so the real providers can be driven against the stub.
 */

export type StubFlavour = 'openai' | 'groq';
export type StubApi = 'chat' | 'responses';
export type StubFinishReason = 'stop' | 'length';

export interface StubUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface StubMessage {
  role: string;
  content: string;
  /** Pictures sent as image parts (Chat `image_url`, Responses `input_image`), as their URLs (`data:` URLs for uploads). */
  images?: string[];
}

/** A deterministic stand-in for a tokenizer: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens of a conversation: its text plus a few tokens of framing per message. */
export function estimatePromptTokens(messages: readonly StubMessage[]): number {
  return messages.reduce((sum, message) => sum + 4 + estimateTokens(message.content), 0);
}

/** The conversation a request carries, whichever API it used, as plain role/text pairs. */
export function messagesOf(api: StubApi, body: Record<string, unknown>): StubMessage[] {
  if (api === 'chat') return asArray(body.messages).map(toMessage);
  const messages: StubMessage[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else messages.push(...asArray(body.input).map(toMessage));
  return messages;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function toMessage(item: unknown): StubMessage {
  const record = (item ?? {}) as Record<string, unknown>;
  const images = imagesOf(record.content);
  return {
    role: typeof record.role === 'string' ? record.role : String(record.type ?? 'unknown'),
    content: textOf(record.content),
    ...(images.length ? { images } : {}),
  };
}

function imagesOf(content: unknown): string[] {
  return asArray(content).flatMap((part) => {
    const record = (part ?? {}) as Record<string, unknown>;
    if (record.type === 'image_url') {
      const url = (record.image_url as { url?: unknown } | undefined)?.url;
      return typeof url === 'string' ? [url] : [];
    }
    if (record.type === 'input_image' && typeof record.image_url === 'string') return [record.image_url];
    return [];
  });
}

/** Content is a string or a list of parts (`text`, `input_text`, `output_text`, ...). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((part) => {
      const text = (part as Record<string, unknown> | null)?.text;
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

/** The settings a test usually asserts on, whichever API spelled them. */
export function maxTokensOf(body: Record<string, unknown>): number | undefined {
  for (const key of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) {
    if (typeof body[key] === 'number') return body[key];
  }
  return undefined;
}

export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** OpenAI's error body; Groq uses the same shape. */
export function errorBody(status: number, message?: string) {
  const kind =
    status === 429
      ? {
          type: 'rate_limit_exceeded',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached for requests. Please try again later.',
        }
      : status === 401
        ? { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' }
        : status >= 500
          ? {
              type: 'server_error',
              code: 'server_error',
              message: 'The server had an error while processing your request.',
            }
          : { type: 'invalid_request_error', code: 'invalid_request', message: 'The request was invalid.' };
  return { error: { message: message ?? kind.message, type: kind.type, param: null, code: kind.code } };
}

interface ReplyContext {
  id: string;
  created: number;
  model: string;
  flavour: StubFlavour;
}

const chatUsage = (usage: StubUsage) => ({
  prompt_tokens: usage.promptTokens,
  completion_tokens: usage.completionTokens,
  total_tokens: usage.promptTokens + usage.completionTokens,
});

const responsesUsage = (usage: StubUsage) => ({
  input_tokens: usage.promptTokens,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: usage.completionTokens,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: usage.promptTokens + usage.completionTokens,
});

/** Chat Completions, streamed: the frames before, between and after the text chunks. */
export const chatStream = {
  start(ctx: ReplyContext): string {
    return sse({
      ...chunkFrame(ctx),
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      ...(ctx.flavour === 'groq' ? { x_groq: { id: `req_${ctx.id}` } } : {}),
    });
  },
  text(ctx: ReplyContext, text: string): string {
    return sse({
      ...chunkFrame(ctx),
      choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
    });
  },
  /** The finish chunk, Groq's usage on it, the usage chunk when asked for, and [DONE]. */
  end(ctx: ReplyContext, finishReason: StubFinishReason, usage: StubUsage | null, includeUsage: boolean): string {
    const groqUsage =
      ctx.flavour === 'groq' && usage ? { x_groq: { id: `req_${ctx.id}`, usage: chatUsage(usage) } } : {};
    let out = sse({
      ...chunkFrame(ctx),
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }],
      ...groqUsage,
    });
    if (includeUsage && usage) out += sse({ ...chunkFrame(ctx), choices: [], usage: chatUsage(usage) });
    return out + sse('[DONE]');
  },
};

function chunkFrame(ctx: ReplyContext) {
  return {
    id: `chatcmpl-${ctx.id}`,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: 'fp_stub',
  };
}

export function chatCompletion(
  ctx: ReplyContext,
  text: string,
  finishReason: StubFinishReason,
  usage: StubUsage | null,
) {
  return {
    id: `chatcmpl-${ctx.id}`,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: 'fp_stub',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    ...(usage ? { usage: chatUsage(usage) } : {}),
    ...(ctx.flavour === 'groq' ? { x_groq: { id: `req_${ctx.id}` } } : {}),
  };
}

/** The Responses API, streamed: typed events with a running sequence number. */
export class ResponsesStream {
  private sequence = 0;
  constructor(private readonly ctx: ReplyContext) {}

  private get messageId() {
    return `msg_${this.ctx.id}`;
  }

  private event(type: string, payload: Record<string, unknown>): string {
    return sse({ type, sequence_number: this.sequence++, ...payload }, type);
  }

  start(): string {
    const response = responseObject(this.ctx, 'in_progress', [], null, null);
    return (
      this.event('response.created', { response }) +
      this.event('response.in_progress', { response }) +
      this.event('response.output_item.added', {
        output_index: 0,
        item: { id: this.messageId, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      }) +
      this.event('response.content_part.added', {
        item_id: this.messageId,
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      })
    );
  }

  text(delta: string): string {
    return this.event('response.output_text.delta', {
      item_id: this.messageId,
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
    });
  }

  end(text: string, finishReason: StubFinishReason, usage: StubUsage | null): string {
    const part = { type: 'output_text', text, annotations: [] };
    const item = {
      id: this.messageId,
      type: 'message',
      status: finishReason === 'stop' ? 'completed' : 'incomplete',
      role: 'assistant',
      content: [part],
    };
    const status = finishReason === 'stop' ? 'completed' : 'incomplete';
    return (
      this.event('response.output_text.done', {
        item_id: this.messageId,
        output_index: 0,
        content_index: 0,
        text,
        logprobs: [],
      }) +
      this.event('response.content_part.done', { item_id: this.messageId, output_index: 0, content_index: 0, part }) +
      this.event('response.output_item.done', { output_index: 0, item }) +
      this.event(`response.${status}`, { response: responseObject(this.ctx, status, [item], finishReason, usage) })
    );
  }
}

export function responseObject(
  ctx: ReplyContext,
  status: string,
  output: unknown[],
  finishReason: StubFinishReason | null,
  usage: StubUsage | null,
) {
  return {
    id: `resp_${ctx.id}`,
    object: 'response',
    created_at: ctx.created,
    status,
    error: null,
    incomplete_details: finishReason === 'length' ? { reason: 'max_output_tokens' } : null,
    model: ctx.model,
    output,
    usage: usage ? responsesUsage(usage) : null,
  };
}

export function responsesMessage(
  ctx: ReplyContext,
  text: string,
  finishReason: StubFinishReason,
  usage: StubUsage | null,
) {
  const status = finishReason === 'stop' ? 'completed' : 'incomplete';
  const item = {
    id: `msg_${ctx.id}`,
    type: 'message',
    status,
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  return responseObject(ctx, status, [item], finishReason, usage);
}
