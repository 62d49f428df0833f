import type { RouterOutputs } from '@atrium/api';

/** What the chat pages show, as the API shapes it (types only cross from the API). */
type SavedMessage = RouterOutputs['chat']['messages']['items'][number];
/** A message on the viewed branch; `versionIds` (itself and its siblings at a fork) comes with the saved list, not with a live turn. */
export type ChatMessage = Omit<SavedMessage, 'versionIds'> & { versionIds?: string[] };
export type Conversation = RouterOutputs['chat']['get'];
export type ConversationPage = RouterOutputs['chat']['conversations'];
/** One page of the viewed branch (`chat.messages`); the conversation page caches them newest first. */
export type MessagePage = RouterOutputs['chat']['messages'];
export type ChatModel = RouterOutputs['models']['list'][number];
export type ChatPreset = RouterOutputs['presets']['list'][number];
export type ModelUsage = RouterOutputs['usage']['mine'][number];
export type Rating = RouterOutputs['feedback']['mine'][number];

/** One event of a streamed turn (`chat.send` / `chat.regenerate`, or `chat.attach` after a reload). */
export type StreamEvent =
  | (RouterOutputs['chat']['send'] extends AsyncIterable<infer Event> ? Event : never)
  | (RouterOutputs['chat']['attach'] extends AsyncIterable<infer Event> ? Event : never);

/** What a refused request says about the limit it hit (TOO_MANY_REQUESTS' `data.limit`). */
export type LimitDetails = {
  limit: 'dailyRequests' | 'monthlyTokens';
  model: string;
  max: number;
  remaining: number;
  resetsAt: string | Date;
};
