import type { MessageRole } from '@atrium/db';
import { truncateText, withoutNul } from '@atrium/db/text';
import { generateText } from 'ai';
import { toProviderError } from './errors';
import { languageModelFor, providerOptionsFor, type ModelRef, type ProviderSettings } from './providers';
import type { TokenUsage } from './tokens';

/** The kinds of fact the assistant may learn; anything else it proposes is dropped. */
export const LEARNABLE_CATEGORIES = ['education', 'work', 'language', 'preferences', 'interests', 'general'] as const;
export type LearnableCategory = (typeof LEARNABLE_CATEGORIES)[number];

export type ProposedMemory = { key: string; value: string; category: LearnableCategory };

const MAX_PROPOSALS = 5;
const MAX_KEY_CHARS = 80;
const MAX_VALUE_CHARS = 300;
const MAX_MESSAGE_CHARS = 1500;
const DEFAULT_TIMEOUT_MS = 30_000;

const LEARN_INSTRUCTIONS =
  'You read a chat between a user (a university student or staff member) and an AI assistant, and note durable facts ' +
  'about the user that would help the assistant in later, unrelated chats: what they study or teach, their year, their ' +
  'work, the language they prefer answers in, how they like answers (short, with examples, ...), lasting interests. ' +
  'Only facts the user stated about themselves; nothing about one task, nothing guessed, nothing already remembered. ' +
  'Never note anything about health, illness or disability, religion or beliefs, politics, sexual life or orientation, ' +
  'ethnicity or origin, even when the user says it. Reply with a JSON array only (no prose), at most 5 items, each ' +
  `{"key": a short name, "value": the fact, "category": one of ${LEARNABLE_CATEGORIES.join(', ')}}, written in the ` +
  'language of the conversation. Reply [] when there is nothing to note.';

/**
 * Words that mark a special category of personal data (GDPR art. 9: health, religion, politics,
 * sexuality, ethnicity), in English and Turkish, matched at the start of a word of the folded text (a stem ending in `$` only as a whole word).
 * A fact that mentions one is never proposed, whatever its category says: the instructions ask the
 * model not to, and this list is what makes sure. It errs on the side of dropping.
 */
const SENSITIVE_STEMS = [
  // health
  'health', 'disease', 'diabet', 'cancer', 'tumo', 'depress', 'anxiety', 'adhd', 'autis', 'asthma', 'epilep', 'medication',
  'diagnos', 'therap', 'disab', 'pregnan', 'hiv$', 'aids$', 'mental', 'psychiatr', 'allerg', 'illness', 'sick', 'insulin', 'surgery',
  'saglik', 'hasta', 'diyabet', 'kanser', 'depresyon', 'anksiyete', 'kaygi bozuk', 'ilac', 'tedavi', 'teshis', 'engelli',
  'hamile', 'gebe', 'psikiyatr', 'terapi', 'alerji', 'astim', 'epilepsi', 'ameliyat', 'insulin',
  // religion and beliefs
  'religio', 'faith', 'church', 'mosque', 'synagog', 'muslim', 'islam', 'christian', 'catholic', 'protestant', 'orthodox', 'jewish',
  'judais', 'hindu', 'buddhis', 'atheis', 'agnostic', 'pray', 'fasting', 'ramadan',
  'din$', 'dini', 'dinin', 'dinim', 'inanc', 'musluman', 'hristiyan', 'yahudi', 'ateist', 'namaz', 'oruc', 'ramazan', 'cami', 'kilise', 'mezhep', 'alevi', 'sunni',
  'ibadet', 'dindar',
  // politics
  'politic', 'party member', 'vote', 'voting', 'voter', 'election', 'left-wing', 'right-wing', 'conservativ', 'socialis',
  'communis', 'nationalis', 'fascis', 'anarchis', 'trade union',
  'siyas', 'politik', 'partisi', 'partili', 'parti uye', 'secmen', 'secimde', 'oy ver', 'oy kullan', 'muhalif', 'milliyetci', 'sosyalist', 'komunist', 'sendika',
  // sexuality
  'sexual', 'sex life', 'gay$', 'lesbian', 'bisexual', 'transgender', 'queer', 'lgbt', 'homosexual', 'heterosexual',
  'cinsel', 'escinsel', 'biseksuel', 'transseksuel', 'lezbiyen',
  // ethnicity and origin
  'ethnic', 'racial', 'racis', 'kurd$', 'kurdish', 'armenian', 'arab$', 'gypsy', 'roma people', 'indigenous',
  'etnik', 'irk', 'kurt$', 'kurtce', 'ermeni', 'arap$', 'cingene', 'soy$', 'soyum',
];

/** Lower case without diacritics, Turkish-aware (İ/I/ı all become i), so one list serves both languages. */
function fold(text: string): string {
  return text
    .replace(/[İIı]/g, 'i')
    .toLocaleLowerCase('en')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SENSITIVE = new RegExp(
  `(?<!\\p{L})(?:${SENSITIVE_STEMS.map((stem) => (stem.endsWith('$') ? `${escape(stem.slice(0, -1))}(?!\\p{L})` : escape(stem))).join('|')})`,
  'u',
);

/** Whether a fact touches a special category of personal data (see SENSITIVE_STEMS). */
export function isSensitiveFact(fact: { key: string; value: string; category?: string }): boolean {
  return SENSITIVE.test(fold(`${fact.key} ${fact.value} ${fact.category ?? ''}`));
}

export interface ProposeMemoriesOptions {
  model: ModelRef;
  settings: ProviderSettings;
  /** The conversation, oldest first. */
  messages: readonly { role: MessageRole; content: string }[];
  /** What is already remembered (or was discarded), by key: not proposed again. */
  knownKeys: readonly string[];
  abortSignal?: AbortSignal;
  timeoutMs?: number;
}

export interface ProposedMemories {
  /** Safe, well-formed, new facts; never anything `isSensitiveFact` flags. */
  memories: ProposedMemory[];
  /** How many the model proposed that were dropped as sensitive. */
  droppedSensitive: number;
  usage: TokenUsage | null;
}

/**
 * Durable facts about the user from one conversation. One upstream request, no retries; throws a
 * ProviderError when the upstream fails. The model's proposals pass through `isSensitiveFact`, a
 * category whitelist and the known keys before anyone sees them.
 */
export async function proposeMemories(options: ProposeMemoriesOptions): Promise<ProposedMemories> {
  let result;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    result = await generateText({
      model: languageModelFor(options.model, options.settings),
      instructions: LEARN_INSTRUCTIONS,
      prompt: learnPrompt(options),
      temperature: 0,
      maxOutputTokens: 400,
      providerOptions: providerOptionsFor(options.model),
      maxRetries: 0,
      abortSignal: options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout,
    });
  } catch (error) {
    throw toProviderError(error);
  }
  const usage =
    result.usage.inputTokens == null && result.usage.outputTokens == null
      ? null
      : { promptTokens: result.usage.inputTokens ?? 0, completionTokens: result.usage.outputTokens ?? 0 };
  return { ...screenProposals(parseProposals(withoutNul(result.text)), options.knownKeys), usage };
}

function learnPrompt(options: ProposeMemoriesOptions): string {
  const transcript = options.messages
    .filter((message) => message.role !== 'system' && message.content.trim())
    .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${truncateText(message.content.trim(), MAX_MESSAGE_CHARS)}`)
    .join('\n\n');
  const known = options.knownKeys.length ? options.knownKeys.map((key) => `- ${key}`).join('\n') : '(nothing yet)';
  return `Already remembered (do not repeat):\n${known}\n\nConversation:\n${transcript}`;
}

/** The first JSON array in the reply, as loose objects; anything unparsable is no proposal. */
export function parseProposals(text: string): unknown[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start < 0 || end <= start) return [];
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Well-formed, learnable, not sensitive, not known: the only proposals that leave this module. */
export function screenProposals(raw: readonly unknown[], knownKeys: readonly string[]): Omit<ProposedMemories, 'usage'> {
  const known = new Set(knownKeys.map(fold));
  const memories: ProposedMemory[] = [];
  let droppedSensitive = 0;
  for (const item of raw) {
    if (!item || typeof item !== 'object') continue;
    const { key, value, category } = item as Record<string, unknown>;
    if (typeof key !== 'string' || typeof value !== 'string') continue;
    const fact = { key: oneLine(key, MAX_KEY_CHARS), value: oneLine(value, MAX_VALUE_CHARS), category: typeof category === 'string' ? category : '' };
    if (!fact.key || !fact.value) continue;
    if (isSensitiveFact(fact)) {
      droppedSensitive += 1;
      continue;
    }
    if (known.has(fold(fact.key))) continue;
    known.add(fold(fact.key));
    const learnable = (LEARNABLE_CATEGORIES as readonly string[]).includes(fact.category) ? (fact.category as LearnableCategory) : 'general';
    memories.push({ key: fact.key, value: fact.value, category: learnable });
    if (memories.length === MAX_PROPOSALS) break;
  }
  return { memories, droppedSensitive };
}

const oneLine = (text: string, max: number) => truncateText(text.replace(/\s+/g, ' ').trim(), max);
