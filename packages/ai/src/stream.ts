import { withoutNul } from '@atrium/db/text';
import { streamText, type FinishReason, type LanguageModelUsage, type ModelMessage } from 'ai';
import { ProviderError, toProviderError } from './errors';
import { languageModelFor, providerOptionsFor, type ModelRef, type ProviderSettings } from './providers';
import type { TokenUsage } from './tokens';

export interface StreamAnswerOptions {
  model: ModelRef;
  settings: ProviderSettings;
  prompt: { system: string; messages: ModelMessage[] };
  temperature?: number | null;
  maxTokens?: number | null;
  /** Sampling controls a caller may set (the OpenAI-compatible API passes them through). */
  stopSequences?: string[];
  topP?: number | null;
  presencePenalty?: number | null;
  frequencyPenalty?: number | null;
  seed?: number | null;
  /** Aborting it aborts the upstream HTTP request; the result keeps the partial text. */
  abortSignal?: AbortSignal;
  /** The longest the upstream may stay silent, before the first token and between tokens (default 60 s). */
  timeoutMs?: number;
  /** The longest wait for the first token (default: timeoutMs). */
  firstTokenTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export type AnswerFinishReason = FinishReason | 'aborted' | 'timeout';

export interface AnswerResult {
  /** Everything the upstream sent, complete or partial. */
  text: string;
  finishReason: AnswerFinishReason;
  /** The caller's signal stopped the answer. */
  aborted: boolean;
  /** Exactly what the provider reported; null when it reported nothing (or was cut off before it did). */
  usage: TokenUsage | null;
  latencyMs: number;
  /** Time to the first text delta; null when none came. */
  firstTokenMs: number | null;
  /** Set when the upstream failed or timed out; its message is safe to show. */
  error?: ProviderError;
}

export interface AnswerStream {
  /**
   * The text deltas as the upstream produces them. Single consumer. It ends normally when the
   * answer ends for any reason (finished, aborted, failed): read `result` for what happened.
   */
  textStream: AsyncIterable<string>;
  /** Never rejects. */
  result: Promise<AnswerResult>;
}

/**
 * Streams one answer. One call is exactly one upstream request: the AI SDK's automatic
 * retries are off (`maxRetries: 0`), because usage limits count requests and a retry the
 * user did not ask for would be billed twice.
 *
 * Throws ProviderError('not-configured') at once when the model's provider is not set up.
 */
export function streamAnswer({ timeoutMs = DEFAULT_TIMEOUT_MS, ...options }: StreamAnswerOptions): AnswerStream {
  const languageModel = languageModelFor(options.model, options.settings);
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const texts = new TextQueue();

  // One controller for the upstream request; remember who pulled it.
  const upstream = new AbortController();
  let stoppedBy: 'caller' | 'timeout' | null = null;
  const stop = (by: 'caller' | 'timeout') => {
    if (stoppedBy) return;
    stoppedBy = by;
    upstream.abort(by === 'timeout' ? new Error('The model took too long to answer.') : options.abortSignal?.reason);
  };
  const onCallerAbort = () => stop('caller');
  options.abortSignal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.abortSignal?.aborted) stop('caller');

  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  const expectProgressWithin = (ms: number) => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => stop('timeout'), ms);
  };
  expectProgressWithin(options.firstTokenTimeoutMs ?? timeoutMs);

  const result = (async (): Promise<AnswerResult> => {
    let text = '';
    let firstTokenMs: number | null = null;
    let usage: TokenUsage | null = null;
    let finishReason: FinishReason | undefined;
    let failure: unknown;
    try {
      const answer = streamText({
        model: languageModel,
        instructions: options.prompt.system,
        messages: options.prompt.messages,
        temperature: options.temperature ?? undefined,
        maxOutputTokens: options.maxTokens ?? undefined,
        ...(options.stopSequences?.length ? { stopSequences: options.stopSequences } : {}),
        topP: options.topP ?? undefined,
        presencePenalty: options.presencePenalty ?? undefined,
        frequencyPenalty: options.frequencyPenalty ?? undefined,
        seed: options.seed ?? undefined,
        providerOptions: providerOptionsFor(options.model),
        maxRetries: 0,
        abortSignal: upstream.signal,
        // Errors arrive as stream parts below; without this the SDK would console.error them.
        onError: () => {},
      });
      for await (const part of answer.stream) {
        switch (part.type) {
          case 'text-delta': {
            if (!part.text) break;
            expectProgressWithin(timeoutMs);
            // Stripped here, once, so the browser, the saved answer, the lease and the cache agree.
            const delta = withoutNul(part.text);
            if (!delta) break;
            firstTokenMs ??= elapsed();
            text += delta;
            texts.push(delta);
            break;
          }
          case 'reasoning-delta':
            // A reasoning model is working, not hanging.
            expectProgressWithin(firstTokenMs === null ? (options.firstTokenTimeoutMs ?? timeoutMs) : timeoutMs);
            break;
          case 'finish':
            // Complete: neither a late timer nor a late stop can turn it into a failure now.
            clearTimeout(silenceTimer);
            options.abortSignal?.removeEventListener('abort', onCallerAbort);
            finishReason = part.finishReason;
            usage = reportedUsage(part.totalUsage);
            break;
          case 'error':
            failure ??= part.error;
            break;
        }
      }
    } catch (error) {
      failure ??= error;
    } finally {
      clearTimeout(silenceTimer);
      options.abortSignal?.removeEventListener('abort', onCallerAbort);
      texts.end();
    }

    const base = { text, usage, latencyMs: elapsed(), firstTokenMs };
    if (stoppedBy === 'caller') return { ...base, finishReason: 'aborted', aborted: true };
    if (stoppedBy === 'timeout')
      return { ...base, finishReason: 'timeout', aborted: false, error: new ProviderError('timeout') };
    if (failure !== undefined)
      return { ...base, finishReason: 'error', aborted: false, error: toProviderError(failure) };
    return { ...base, finishReason: finishReason ?? 'other', aborted: false };
  })();

  return { textStream: texts, result };
}

/** The SDK reports "nothing" as undefined counts; keep that distinct from a reported zero. */
function reportedUsage(usage: LanguageModelUsage | undefined): TokenUsage | null {
  if (usage?.inputTokens == null && usage?.outputTokens == null) return null;
  return { promptTokens: usage.inputTokens ?? 0, completionTokens: usage.outputTokens ?? 0 };
}

/** An unbounded single-consumer queue of text deltas, readable with `for await`. */
class TextQueue implements AsyncIterable<string> {
  private readonly buffered: string[] = [];
  private waiting: ((next: IteratorResult<string>) => void) | null = null;
  private ended = false;

  push(text: string) {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: text, done: false });
    } else this.buffered.push(text);
  }

  end() {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const text = this.buffered.shift();
        if (text !== undefined) return Promise.resolve({ value: text, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      // Leaving the loop early does not stop the upstream: abort the signal for that.
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
