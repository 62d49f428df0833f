import { withoutNul } from '@atrium/db/text';
import { generateText } from 'ai';
import { toProviderError, type ProviderError } from './errors';
import { languageModelFor, providerOptionsFor, type ModelRef, type ProviderSettings } from './providers';
import type { TokenUsage } from './tokens';
import { codePointLength, truncateText } from '@atrium/db/text';

export const MAX_TITLE_CHARS = 60;
const MAX_EXCERPT_CHARS = 1500;
const DEFAULT_TITLE_TIMEOUT_MS = 15_000;

const TITLE_INSTRUCTIONS =
  'You write titles for chat conversations. Reply with a title of at most six words that says what the conversation is about, ' +
  'in the language of the user. Reply with the title only: no quotes, no markdown, no final punctuation.';

export interface GenerateTitleOptions {
  model: ModelRef;
  settings: ProviderSettings;
  userMessage: string;
  answer: string;
  abortSignal?: AbortSignal;
  timeoutMs?: number;
}

export interface GeneratedTitle {
  /** At most 60 characters, never empty. */
  title: string;
  /** Tokens the title call used as the provider reported them (null: no call, or none reported). */
  usage: TokenUsage | null;
  /** False when the title is the fallback: the first words of the user's message. */
  fromModel: boolean;
  /** Why the model's title was not used, for the server log. */
  error?: ProviderError;
}

/**
 * A short title for a new conversation. One upstream request, no retries; when it fails,
 * times out or returns nothing usable, the title is the start of the user's message. The
 * offline Demo model cannot summarise, so it is not asked.
 */
export async function generateTitle(options: GenerateTitleOptions): Promise<GeneratedTitle> {
  const fallback = fallbackTitle(options.userMessage);
  if (options.model.provider === 'demo') return { title: fallback, usage: null, fromModel: false };
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TITLE_TIMEOUT_MS);
    const result = await generateText({
      model: languageModelFor(options.model, options.settings),
      instructions: TITLE_INSTRUCTIONS,
      prompt: `User: ${clip(options.userMessage, MAX_EXCERPT_CHARS)}\n\nAssistant: ${clip(options.answer, MAX_EXCERPT_CHARS)}`,
      temperature: 0.2,
      maxOutputTokens: 32,
      providerOptions: providerOptionsFor(options.model),
      maxRetries: 0,
      abortSignal: options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout,
    });
    const usage =
      result.usage.inputTokens == null && result.usage.outputTokens == null
        ? null
        : { promptTokens: result.usage.inputTokens ?? 0, completionTokens: result.usage.outputTokens ?? 0 };
    const title = cleanTitle(withoutNul(result.text));
    return title ? { title, usage, fromModel: true } : { title: fallback, usage, fromModel: false };
  } catch (error) {
    return { title: fallback, usage: null, fromModel: false, error: toProviderError(error) };
  }
}

/** The first words of the user's message, cut at a word boundary. */
export function fallbackTitle(userMessage: string): string {
  return truncate(userMessage.replace(/\s+/g, ' ').trim()) || 'New chat';
}

/** The first line of a model's reply, without markdown, quotes, a "Title:" label or final punctuation. */
export function cleanTitle(raw: string): string {
  const line =
    raw
      .split('\n')
      .map((part) => part.trim())
      .find(Boolean) ?? '';
  const plain = line
    .replace(/^[#>*\-\s]+/, '')
    .replace(/^title\s*:\s*/i, '')
    .replace(/[*_`]/g, '')
    .replace(/^["'“”‘’«]+|["'“”‘’»]+$/g, '')
    .replace(/[.!。]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(plain);
}

function truncate(text: string): string {
  if (codePointLength(text) <= MAX_TITLE_CHARS) return text;
  const cut = truncateText(text, MAX_TITLE_CHARS - 1, '');
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > cut.length / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

function clip(text: string, maxChars: number): string {
  return truncateText(text, maxChars + 1);
}
