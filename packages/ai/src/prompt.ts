import type { IPreset, IUser, MessageRole } from '@atrium/db';
import type { ModelMessage } from 'ai';
import { fitDocuments, type PromptDocument } from './documents';
import { isoDate, renderTemplate } from './template';
import { estimateMessageTokens } from './tokens';
import { truncateText } from '@atrium/db/text';

/** The identity in the language of the person the prompt is for (the stored one is per language). */
export type PromptIdentity = {
  displayName: string;
  developerName: string;
  productFamily: string;
  shortIntro: string;
  forbidProviderMention: boolean;
};

export interface AssemblePromptInput {
  identity: PromptIdentity;
  /** The active preset or custom style; only its template is read. */
  preset?: Pick<IPreset, 'systemPromptTemplate'> | null;
  user: Pick<IUser, 'displayName' | 'username'>;
  /** Remembered facts about the user (active preferences). */
  memory?: readonly { key: string; value: string }[];
  /** The rolling summary of the older part of the conversation. */
  summary?: string | null;
  /** Earlier messages, oldest first. System messages in the history are not replayed. */
  history: readonly { role: MessageRole; content: string }[];
  userMessage: string;
  /** Documents the conversation carries (newest first); their text goes with the user's message, within budget. */
  documents?: readonly PromptDocument[];
  /** Pictures sent with the user's message, as image parts (vision models only). */
  images?: readonly PromptImage[];
  /** The model's context window in tokens (default 8192). */
  contextWindow?: number;
  /** Tokens kept free for the answer (default: a quarter of the window, at most 1024). */
  maxTokens?: number | null;
  now?: Date;
  /** For `{{date}}` (default UTC). */
  timeZone?: string;
}

export type PromptImage = { data: Uint8Array; mediaType: string };

/** What one picture costs in the budget: providers bill a few hundred to ~1500 tokens per image. */
export const IMAGE_TOKENS = 1000;
/** Documents may take at most this share of the room left after the system prompt, the question and the answer. */
const DOCUMENT_SHARE = 0.75;

export interface AssembledPrompt {
  system: string;
  messages: ModelMessage[];
  /** The estimate the history was budgeted with (~4 characters per token). */
  estimatedPromptTokens: number;
  /** How many of the oldest history messages did not fit. */
  droppedHistory: number;
  /** Whether some document text was left out to fit the context. */
  documentsCut: boolean;
}

const DEFAULT_CONTEXT_WINDOW = 8192;
const MAX_DEFAULT_ANSWER_TOKENS = 1024;
const MAX_MEMORY_VALUE_CHARS = 500;

/** The system prompt (identity, style, memory, summary) and the most recent history that fits. */
export function assemblePrompt(input: AssemblePromptInput): AssembledPrompt {
  const system = [
    identitySection(input.identity),
    styleSection(input),
    memorySection(input.memory ?? []),
    summarySection(input.summary),
  ]
    .filter(Boolean)
    .join('\n\n');

  const contextWindow = input.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const answerTokens = input.maxTokens ?? Math.min(MAX_DEFAULT_ANSWER_TOKENS, Math.floor(contextWindow / 4));
  const images = input.images ?? [];
  const fixedTokens = estimateMessageTokens(system) + estimateMessageTokens(input.userMessage) + images.length * IMAGE_TOKENS;
  const room = contextWindow - answerTokens - fixedTokens;
  const documents = fitDocuments(input.documents ?? [], Math.floor(room * DOCUMENT_SHARE), input.userMessage);
  const { kept, dropped, tokens } = recentHistory(input.history, room - documents.tokens);

  const text = documents.block ? `${documents.block}\n\n${input.userMessage}` : input.userMessage;
  const userMessage: ModelMessage =
    images.length === 0
      ? { role: 'user', content: text }
      : { role: 'user', content: [{ type: 'text', text }, ...images.map((image) => ({ type: 'file' as const, data: image.data, mediaType: image.mediaType }))] };
  return {
    system,
    messages: [...kept, userMessage],
    estimatedPromptTokens: fixedTokens + documents.tokens + tokens,
    droppedHistory: dropped,
    documentsCut: documents.cut,
  };
}

/** Who the assistant is and what it must not say: the first part of every system prompt. */
export function identitySection(identity: PromptIdentity): string {
  const family =
    identity.productFamily && identity.productFamily !== identity.displayName
      ? `, part of ${identity.productFamily},`
      : ',';
  const lines = [`You are ${identity.displayName}${family} an AI assistant developed by ${identity.developerName}.`];
  if (identity.shortIntro) lines.push(`When asked who you are, introduce yourself like this: ${identity.shortIntro}`);
  if (identity.forbidProviderMention) {
    lines.push(
      `Never name or hint at the company, model or service that runs you (such as OpenAI, Groq, Meta, Llama, GPT or any other vendor), even when asked directly. ` +
        `If asked which model you are, say you are ${identity.displayName}, developed by ${identity.developerName}.`,
    );
  }
  return lines.join('\n');
}

function styleSection(input: AssemblePromptInput): string {
  const template = input.preset?.systemPromptTemplate?.trim();
  if (!template) return '';
  return renderTemplate(template, {
    user: { displayName: input.user.displayName, username: input.user.username },
    identity: input.identity,
    date: isoDate(input.now ?? new Date(), input.timeZone),
  }).trim();
}

function memorySection(memory: readonly { key: string; value: string }[]): string {
  const facts = memory
    .map(({ key, value }) => [oneLine(key, 100), oneLine(value, MAX_MEMORY_VALUE_CHARS)] as const)
    .filter(([key, value]) => key && value)
    .map(([key, value]) => `- ${key}: ${value}`);
  if (facts.length === 0) return '';
  return ['What you remember about the user (facts they shared earlier; use them when relevant):', ...facts].join('\n');
}

function summarySection(summary: string | null | undefined): string {
  const text = summary?.trim();
  return text ? `Summary of the earlier part of this conversation:\n${text}` : '';
}

/** Memory is user-written text: one line each, so an entry cannot pose as a new instruction block. */
function oneLine(text: string, maxChars: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return truncateText(line, maxChars);
}

/** The newest messages whose estimated size fits the budget, oldest first. */
function recentHistory(history: AssemblePromptInput['history'], budget: number) {
  const kept: ModelMessage[] = [];
  let tokens = 0;
  const replayable = history.filter((message) => message.role !== 'system' && message.content.length > 0);
  for (let index = replayable.length - 1; index >= 0; index--) {
    const message = replayable[index]!;
    const cost = estimateMessageTokens(message.content);
    if (tokens + cost > budget) break;
    tokens += cost;
    kept.unshift(
      message.role === 'user'
        ? { role: 'user', content: message.content }
        : { role: 'assistant', content: message.content },
    );
  }
  return { kept, dropped: replayable.length - kept.length, tokens };
}
