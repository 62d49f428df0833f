import type { MessageRole } from '@atrium/db';
import { withoutNul } from '@atrium/db/text';
import { generateText } from 'ai';
import { ProviderError, toProviderError } from './errors';
import { languageModelFor, providerOptionsFor, type ModelRef, type ProviderSettings } from './providers';
import type { TokenUsage } from './tokens';
import { truncateText } from '@atrium/db/text';

/** A summary never grows past this, so the system prompt that carries it stays bounded. */
export const MAX_SUMMARY_CHARS = 4000;
const MAX_MESSAGE_CHARS = 2000;
const MAX_SUMMARY_OUTPUT_TOKENS = 700;
const DEFAULT_SUMMARY_TIMEOUT_MS = 30_000;

const SUMMARY_INSTRUCTIONS =
  'You keep a running summary of a chat between a user and an AI assistant, so the assistant can continue the chat ' +
  'without the older messages. Merge the summary so far with the new messages into one updated summary. Keep what ' +
  'later turns may need: the user’s goals and questions, facts and numbers, decisions, names, code or terms being ' +
  'worked on, and anything still open. Drop greetings and repetition. Write in the language of the conversation, ' +
  'in at most 250 words of plain prose or short bullet points. Reply with the summary only.';

export interface GenerateSummaryOptions {
  model: ModelRef;
  settings: ProviderSettings;
  /** The summary of everything before `messages`, when there is one. */
  previousSummary: string | null;
  /** The messages to fold into the summary, oldest first. */
  messages: readonly { role: MessageRole; content: string }[];
  abortSignal?: AbortSignal;
  timeoutMs?: number;
}

export interface GeneratedSummary {
  /** At most MAX_SUMMARY_CHARS, never empty. */
  summary: string;
  /** Tokens the call used as the provider reported them (null: no call, or none reported). */
  usage: TokenUsage | null;
}

/**
 * The previous summary with `messages` folded in. One upstream request, no retries; throws a
 * ProviderError when the upstream fails, times out or replies with nothing, so the caller can
 * keep the previous summary. The offline Demo model cannot summarise: it gets an extractive
 * summary (the user's questions, clipped), made without an upstream call.
 */
export async function generateSummary(options: GenerateSummaryOptions): Promise<GeneratedSummary> {
  if (options.model.provider === 'demo') return { summary: extractiveSummary(options), usage: null };
  let result;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_SUMMARY_TIMEOUT_MS);
    result = await generateText({
      model: languageModelFor(options.model, options.settings),
      instructions: SUMMARY_INSTRUCTIONS,
      prompt: summaryPrompt(options),
      temperature: 0.2,
      maxOutputTokens: MAX_SUMMARY_OUTPUT_TOKENS,
      providerOptions: providerOptionsFor(options.model),
      maxRetries: 0,
      abortSignal: options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout,
    });
  } catch (error) {
    throw toProviderError(error);
  }
  const summary = clip(withoutNul(result.text).trim(), MAX_SUMMARY_CHARS);
  if (!summary) throw new ProviderError('failed');
  const usage =
    result.usage.inputTokens == null && result.usage.outputTokens == null
      ? null
      : { promptTokens: result.usage.inputTokens ?? 0, completionTokens: result.usage.outputTokens ?? 0 };
  return { summary, usage };
}

function summaryPrompt(options: GenerateSummaryOptions): string {
  const previous = options.previousSummary?.trim();
  const transcript = options.messages
    .filter((message) => message.role !== 'system' && message.content.trim())
    .map(
      (message) =>
        `${message.role === 'user' ? 'User' : 'Assistant'}: ${clip(message.content.trim(), MAX_MESSAGE_CHARS)}`,
    )
    .join('\n\n');
  return [`Summary so far:\n${previous || '(none yet)'}`, `New messages:\n${transcript || '(none)'}`].join('\n\n');
}

/** Without a model: the previous summary plus the new questions, newest kept when it grows too long. */
function extractiveSummary(options: GenerateSummaryOptions): string {
  const questions = options.messages
    .filter((message) => message.role === 'user' && message.content.trim())
    .map((message) => `- The user asked: ${clip(message.content.replace(/\s+/g, ' ').trim(), 200)}`);
  const lines = [...(options.previousSummary?.trim().split('\n') ?? []), ...questions].filter(Boolean);
  while (lines.length > 1 && lines.join('\n').length > MAX_SUMMARY_CHARS) lines.shift();
  return clip(lines.join('\n'), MAX_SUMMARY_CHARS) || '- The conversation has just started.';
}

function clip(text: string, maxChars: number): string {
  return truncateText(text, maxChars);
}
