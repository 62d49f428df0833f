import { withoutNul } from '@atrium/db/text';
import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { FinishReason, LanguageModelUsage, ModelMessage } from 'ai';
import { asLanguageModelUsage, convertToLanguageModelPrompt, prepareCallSettings, standardizePrompt } from 'ai/internal';
import { ProviderError, toProviderError } from './errors';
import { holdRequest, languageModelFor, providerOptionsFor, type ModelRef, type ProviderSettings } from './providers';
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
  /**
   * The upstream request is built at once but sent only when this resolves true (a turn starts
   * its answer while its admission runs); false ends the answer unsent, as aborted. The clocks
   * (timeouts, latency, first token) start when it is sent.
   */
  sendWhen?: Promise<boolean>;
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
 * Starts an answer whose request is built now and sent once `sendWhen` says the caller admitted
 * it (built during the admission's round trip). What starting it threw (a provider that is not
 * configured) is thrown when the stream is asked for, after the admission, where a caller that
 * started it then would have met it.
 */
export function streamAnswerOnceAdmitted(options: StreamAnswerOptions & { sendWhen: Promise<boolean> }): () => AnswerStream {
  try {
    const stream = streamAnswer(options);
    return () => stream;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/**
 * Streams one answer. One call is exactly one upstream request (none when `sendWhen` says no),
 * never retried: usage limits count requests, and a retry the user did not ask for would be
 * billed twice.
 *
 * Throws ProviderError('not-configured') at once when the model's provider is not set up.
 */
export function streamAnswer({ timeoutMs = DEFAULT_TIMEOUT_MS, ...options }: StreamAnswerOptions): AnswerStream {
  const languageModel = languageModelFor(options.model, options.settings);
  let startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const texts = new TextQueue();

  // One controller for the upstream request; remember who pulled it.
  const upstream = new AbortController();
  if (options.sendWhen) holdRequest(upstream.signal, options.sendWhen);
  let stoppedBy: 'caller' | 'timeout' | null = null;
  const stop = (by: 'caller' | 'timeout') => {
    if (stoppedBy) return;
    stoppedBy = by;
    upstream.abort(by === 'timeout' ? new Error('The model took too long to answer.') : options.abortSignal?.reason);
  };
  const onCallerAbort = () => stop('caller');
  options.abortSignal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.abortSignal?.aborted) stop('caller');

  // The silence timer is re-armed on every delta: `refresh` moves it without a new timer.
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let armedFor: number | undefined;
  const expectProgressWithin = (ms: number) => {
    if (silenceTimer && armedFor === ms) return void silenceTimer.refresh();
    clearTimeout(silenceTimer);
    armedFor = ms;
    silenceTimer = setTimeout(() => stop('timeout'), ms);
  };
  let ended = false;
  const send = () => {
    startedAt = performance.now();
    // An answer that ended before it was sent (stopped, failed) arms no timer.
    if (!ended) expectProgressWithin(options.firstTokenTimeoutMs ?? timeoutMs);
  };
  // Registered before the SDK's fetch waits on it: a refused answer is stopped before that fetch gives up.
  if (options.sendWhen) void options.sendWhen.then((yes) => (yes ? send() : stop('caller')), () => stop('caller'));
  else send();

  const result = (async (): Promise<AnswerResult> => {
    let text = '';
    let firstTokenMs: number | null = null;
    let usage: TokenUsage | null = null;
    let finishReason: FinishReason | undefined;
    let failure: unknown;
    try {
      const parts = (await providerStream(languageModel, options, upstream.signal)).getReader();
      for (let next = await parts.read(); !next.done; next = await parts.read()) {
        const part = next.value;
        switch (part.type) {
          case 'text-delta': {
            if (!part.delta) break;
            expectProgressWithin(timeoutMs);
            // Stripped here, once, so the browser, the saved answer, the lease and the cache agree.
            const delta = withoutNul(part.delta);
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
            finishReason = part.finishReason.unified;
            usage = reportedUsage(asLanguageModelUsage(part.usage));
            break;
          case 'error':
            failure ??= part.error;
            break;
        }
      }
    } catch (error) {
      failure ??= error;
    } finally {
      ended = true;
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

/**
 * The provider's own stream of parts for one request. An answer is one step of plain text (no
 * tools, no structured output, no retries), so `streamText`'s machinery around the provider
 * (steps, tool parsing, callbacks, its chain of transform streams) would cost more CPU per chunk
 * than the provider's parsing itself; the SDK's own functions still turn the prompt and the
 * settings into the provider's call, exactly as `streamText` does.
 */
async function providerStream(model: LanguageModelV4, options: StreamAnswerOptions, abortSignal: AbortSignal): Promise<ReadableStream<LanguageModelV4StreamPart>> {
  const prompt = await convertToLanguageModelPrompt({
    prompt: await standardizePrompt({ instructions: options.prompt.system, messages: options.prompt.messages }),
    supportedUrls: await model.supportedUrls,
    download: undefined,
    abortSignal,
    provider: model.provider.split('.')[0],
  });
  const { stream } = await model.doStream({
    ...prepareCallSettings({
      temperature: options.temperature ?? undefined,
      maxOutputTokens: options.maxTokens ?? undefined,
      ...(options.stopSequences?.length ? { stopSequences: options.stopSequences } : {}),
      topP: options.topP ?? undefined,
      presencePenalty: options.presencePenalty ?? undefined,
      frequencyPenalty: options.frequencyPenalty ?? undefined,
      seed: options.seed ?? undefined,
    }),
    prompt,
    providerOptions: providerOptionsFor(options.model),
    abortSignal,
  });
  return stream;
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
