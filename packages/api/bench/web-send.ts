// The apps' and scripts' own links. Not a declared dependency: @atrium/client depends on this
// package (for AppRouter's type), and only the benchmarks here use it.
import { atriumLinks } from '@atrium/client';
import { createTRPCClient } from '@trpc/client';
import type { AppRouter } from '../src/root';

/**
 * What the benchmarks' students send, as the web app sends it (apps/web/app/chat/send-input.ts):
 * the index page starts a conversation naming the model and the style the student chose (null:
 * none); the conversation page asks a follow-up naming neither (null model: the conversation's;
 * no style: the conversation's, else the student's chosen one).
 */

/** Which style the benchmark's students chose (`users` in server.process.ts). */
export type BenchStyles = 'mixed' | 'own' | 'global' | 'none';

/** The style a student of a `mixed` batch chose, by index: none, their own, a global preset, in turn. */
export const mixedStyle = (index: number): Exclude<BenchStyles, 'mixed'> => (['none', 'own', 'global'] as const)[index % 3]!;

/** The students the bench server made (`users`): each one's session token and chosen style. */
export type BenchStudents = { tokens: string[]; presets: (string | null)[] };

export function webSendInput(conversationId: string | null, content: string, presetId: string | null) {
  return conversationId === null
    ? { conversationId: null, content, modelId: 'demo', presetId, editOf: null, attachmentIds: [] }
    : { conversationId, content, modelId: null, editOf: null, attachmentIds: [] };
}

/**
 * A student's client as the web app makes it: Atrium's own links (`atriumLinks`: a turn sent at
 * once in a request of its own, queries batched and streamed), with the session as a bearer token.
 */
export function studentClient(serverUrl: string, token: string) {
  return createTRPCClient<AppRouter>({ links: atriumLinks({ endpoint: `${serverUrl}/api/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }) });
}

let asked = 0;

/**
 * One student's turn through the web app's own link (a client of its own, as a browser tab has):
 * a new conversation when `conversationId` is null, else a follow-up in it; every question
 * different, so none is an answer-cache hit. Resolves with the conversation's id once the answer
 * has ended; a failed answer throws.
 */
export async function askAsStudent(serverUrl: string, token: string, conversationId: string | null, presetId: string | null): Promise<string> {
  const client = studentClient(serverUrl, token);
  const n = ++asked;
  let id = conversationId;
  for await (const event of await client.chat.send.mutate(webSendInput(conversationId, `Question ${n}: what is ${n} squared?`, presetId))) {
    if (event.type === 'started') id = event.conversation.id;
    if (event.type === 'failed') throw new Error(event.error);
  }
  return id!;
}
