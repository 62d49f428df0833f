import { createGroq } from '@ai-sdk/groq';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { IModel, Provider } from '@atrium/db';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { AiEnv } from './env';
import { ProviderError } from './errors';
import { upstreamFetch } from './upstream-fetch';

/**
 * Where each provider lives and how to authenticate. Production builds it from the
 * environment (`providerSettingsFromEnv`); tests point every provider at the stub upstream.
 * A provider that is absent here is not configured: its models cannot be used.
 */
export interface ProviderSettings {
  groq?: { apiKey: string; baseURL?: string };
  openai?: { apiKey: string; baseURL?: string };
  /** An OpenAI-compatible engine (Ollama, vLLM, llama.cpp server...). */
  local?: { baseURL: string; apiKey?: string };
  /** The offline Demo model: the repo's stub upstream in demo mode. */
  demo?: { baseURL: string };
}

/** The catalogue fields that decide which upstream a model is called on. */
export type ModelRef = Pick<IModel, 'provider' | 'providerModelId'>;

/**
 * OpenAI models use the Responses API. A catalogue entry whose providerModelId starts with
 * `chat:` (e.g. `chat:gpt-4.1-mini`) uses Chat Completions instead: for OpenAI-compatible
 * gateways behind OPENAI_BASE_URL that only speak Chat Completions.
 */
export const OPENAI_CHAT_PREFIX = 'chat:';

export function providerSettingsFromEnv(env: AiEnv): ProviderSettings {
  return {
    ...(env.GROQ_API_KEY ? { groq: { apiKey: env.GROQ_API_KEY, baseURL: env.GROQ_BASE_URL } } : {}),
    ...(env.OPENAI_API_KEY ? { openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } } : {}),
    ...(env.LOCAL_LLM_BASE_URL ? { local: { baseURL: env.LOCAL_LLM_BASE_URL, apiKey: env.LOCAL_LLM_API_KEY } } : {}),
    ...(env.DEMO_LLM_BASE_URL ? { demo: { baseURL: env.DEMO_LLM_BASE_URL } } : {}),
  };
}

/** Whether models of this provider can be called at all (so `models.list` can hide the rest). */
export function isProviderConfigured(provider: Provider, settings: ProviderSettings): boolean {
  switch (provider) {
    case 'groq':
      return Boolean(settings.groq?.apiKey);
    case 'openai':
      return Boolean(settings.openai?.apiKey);
    case 'local':
      return Boolean(settings.local?.baseURL);
    case 'demo':
      return Boolean(settings.demo?.baseURL);
  }
}

const madeModels = new WeakMap<ProviderSettings, Map<string, LanguageModelV4>>();

/**
 * The AI SDK model for a catalogue entry; throws ProviderError('not-configured') when it cannot
 * be called. Made once per settings object and model (the SDK's models hold configuration only,
 * so one serves every concurrent call): a turn does not build a provider.
 */
export function languageModelFor(model: ModelRef, settings: ProviderSettings): LanguageModelV4 {
  let made = madeModels.get(settings);
  if (!made) madeModels.set(settings, (made = new Map()));
  const key = `${model.provider}\u0000${model.providerModelId}`;
  let languageModel = made.get(key);
  if (!languageModel) made.set(key, (languageModel = makeLanguageModel(model, settings)));
  return languageModel;
}

function makeLanguageModel(model: ModelRef, settings: ProviderSettings): LanguageModelV4 {
  switch (model.provider) {
    case 'groq': {
      const groq = settings.groq?.apiKey ? settings.groq : notConfigured();
      return createGroq({ apiKey: groq.apiKey, baseURL: groq.baseURL, fetch: heldFetch })(model.providerModelId);
    }
    case 'openai': {
      const openai = settings.openai?.apiKey ? settings.openai : notConfigured();
      const provider = createOpenAI({ apiKey: openai.apiKey, baseURL: openai.baseURL, fetch: heldFetch });
      return model.providerModelId.startsWith(OPENAI_CHAT_PREFIX)
        ? provider.chat(model.providerModelId.slice(OPENAI_CHAT_PREFIX.length))
        : provider.responses(model.providerModelId);
    }
    case 'local': {
      const local = settings.local?.baseURL ? settings.local : notConfigured();
      return createOpenAICompatible({
        name: 'local',
        baseURL: local.baseURL,
        apiKey: local.apiKey,
        includeUsage: true,
        fetch: heldFetch,
      })(model.providerModelId);
    }
    case 'demo': {
      const demo = settings.demo?.baseURL ? settings.demo : notConfigured();
      return createOpenAICompatible({ name: 'demo', baseURL: demo.baseURL, includeUsage: true, fetch: heldFetch })(model.providerModelId);
    }
  }
}

/**
 * Upstream requests held back until their caller lets them go, by the abort signal the SDK
 * hands to fetch (one per answer: `streamAnswer` makes it). The SDK builds a held request (the
 * prompt, the body) at once; it is sent when its gate opens with true, never when with false.
 */
const heldRequests = new WeakMap<AbortSignal, Promise<boolean>>();

/** Holds the request the SDK makes with this signal until `until` settles (see `heldRequests`). */
export function holdRequest(signal: AbortSignal, until: Promise<boolean>) {
  heldRequests.set(signal, until);
}

const heldFetch: typeof fetch = (input, init) => {
  const until = init?.signal ? heldRequests.get(init.signal) : undefined;
  if (!until) return upstreamFetch(input, init);
  return until.then((send) => {
    if (!send) throw init!.signal!.reason ?? new DOMException('The request was not sent.', 'AbortError');
    return upstreamFetch(input, init);
  });
};

/**
 * Per-provider request options. OpenAI's Responses API stores responses server-side by
 * default; Atrium keeps conversations itself, so nothing is left upstream.
 */
export function providerOptionsFor(model: ModelRef) {
  return model.provider === 'openai' && !model.providerModelId.startsWith(OPENAI_CHAT_PREFIX)
    ? { openai: { store: false } }
    : undefined;
}

function notConfigured(): never {
  throw new ProviderError('not-configured');
}
