import type { RouterOutputs } from '@atrium/api';

/** What the chat pages show, as the API shapes it (types only cross from the API). */
export type ChatMessage = RouterOutputs['chat']['messages']['items'][number];
export type Conversation = RouterOutputs['chat']['get'];
export type ConversationPage = RouterOutputs['chat']['conversations'];
export type ChatModel = RouterOutputs['models']['list'][number];
export type ChatPreset = RouterOutputs['presets']['list'][number];
export type ModelUsage = RouterOutputs['usage']['mine'][number];
export type Rating = RouterOutputs['feedback']['mine'][number];

/** One event of a streamed turn (`chat.send` / `chat.regenerate`). */
export type StreamEvent = RouterOutputs['chat']['send'] extends AsyncIterable<infer Event> ? Event : never;

/** What a refused request says about the limit it hit (TOO_MANY_REQUESTS' `data.limit`). */
export type LimitDetails = {
  limit: 'dailyRequests' | 'monthlyTokens';
  model: string;
  max: number;
  remaining: number;
  resetsAt: string | Date;
};
