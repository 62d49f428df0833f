import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateImage, type ImageModel } from 'ai';
import { ProviderError, toProviderError } from './errors';
import type { ModelRef, ProviderSettings } from './providers';
import type { TokenUsage } from './tokens';

export interface GenerateImagesOptions {
  model: ModelRef;
  settings: ProviderSettings;
  /** What to draw: the student's words. */
  prompt: string;
  /** How many pictures (default 1). */
  n?: number;
  /** Aborting it aborts the upstream request. */
  abortSignal?: AbortSignal;
  /** The longest the upstream may take for the whole call (default 120 s: drawing is slower than text). */
  timeoutMs?: number;
}

export interface GeneratedImage {
  data: Uint8Array;
  mediaType: string;
}

export interface ImageAnswerResult {
  images: GeneratedImage[];
  /** The caller's signal stopped the call. */
  aborted: boolean;
  /** What the provider reported (some image APIs report tokens, most none). */
  usage: TokenUsage | null;
  latencyMs: number;
  /** Set when the upstream failed or timed out; its message is safe to show. */
  error?: ProviderError;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Asks an image model for pictures through the AI SDK's `generateImage`. One call is one upstream
 * request (`maxRetries: 0`), as for text: limits count requests, and a retry nobody asked for would
 * be billed twice. Never rejects: failures come back as `error`, a stop as `aborted`.
 *
 * Throws ProviderError('not-configured') at once when the model's provider is not set up, and
 * ProviderError('refused') when the provider has no image models (Groq).
 */
export function generateImages({ timeoutMs = DEFAULT_TIMEOUT_MS, ...options }: GenerateImagesOptions): Promise<ImageAnswerResult> {
  const imageModel = imageModelFor(options.model, options.settings);
  const startedAt = performance.now();
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
  const timer = setTimeout(() => stop('timeout'), timeoutMs);

  return (async () => {
    const latencyMs = () => Math.round(performance.now() - startedAt);
    try {
      const result = await generateImage({
        model: imageModel,
        prompt: options.prompt,
        n: options.n ?? 1,
        maxRetries: 0,
        abortSignal: upstream.signal,
      });
      const { inputTokens, outputTokens } = result.usage;
      return {
        images: result.images.map((image) => ({ data: image.uint8Array, mediaType: image.mediaType })),
        aborted: false,
        usage: inputTokens == null && outputTokens == null ? null : { promptTokens: inputTokens ?? 0, completionTokens: outputTokens ?? 0 },
        latencyMs: latencyMs(),
      };
    } catch (error) {
      const base = { images: [], usage: null, latencyMs: latencyMs() };
      if (stoppedBy === 'caller') return { ...base, aborted: true };
      if (stoppedBy === 'timeout') return { ...base, aborted: false, error: new ProviderError('timeout') };
      return { ...base, aborted: false, error: toProviderError(error) };
    } finally {
      clearTimeout(timer);
      options.abortSignal?.removeEventListener('abort', onCallerAbort);
    }
  })();
}

const madeModels = new WeakMap<ProviderSettings, Map<string, ImageModel>>();

/** The AI SDK image model for a catalogue entry, made once per settings object and model. */
export function imageModelFor(model: ModelRef, settings: ProviderSettings): ImageModel {
  let made = madeModels.get(settings);
  if (!made) madeModels.set(settings, (made = new Map()));
  const key = `${model.provider}\u0000${model.providerModelId}`;
  let imageModel = made.get(key);
  if (!imageModel) made.set(key, (imageModel = makeImageModel(model, settings)));
  return imageModel;
}

function makeImageModel(model: ModelRef, settings: ProviderSettings): ImageModel {
  switch (model.provider) {
    case 'openai': {
      const openai = settings.openai?.apiKey ? settings.openai : notConfigured();
      return createOpenAI({ apiKey: openai.apiKey, baseURL: openai.baseURL }).image(model.providerModelId);
    }
    case 'local': {
      const local = settings.local?.baseURL ? settings.local : notConfigured();
      return createOpenAICompatible({ name: 'local', baseURL: local.baseURL, apiKey: local.apiKey }).imageModel(model.providerModelId);
    }
    case 'demo': {
      const demo = settings.demo?.baseURL ? settings.demo : notConfigured();
      return createOpenAICompatible({ name: 'demo', baseURL: demo.baseURL }).imageModel(model.providerModelId);
    }
    case 'groq':
      // Groq serves no image models: a catalogue entry claiming one is refused, not guessed at.
      if (!settings.groq?.apiKey) notConfigured();
      throw new ProviderError('refused', { cause: new Error('Groq has no image generation models.') });
  }
}

function notConfigured(): never {
  throw new ProviderError('not-configured');
}
