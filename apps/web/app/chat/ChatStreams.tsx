import { trpc } from '@atrium/ui';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { classifyError } from './errors';
import { sendInput } from './send-input';
import { isActive, MESSAGES_PAGE, startTurn, turnReducer, withConversation, withExchange, type ConversationListInput, type TurnAction, type TurnState } from './turn';
import type { ChatMessage, Conversation, ConversationPage, ModelUsage, StreamEvent } from './types';

/** The key of a turn that starts a new conversation, until the server names it. */
export const NEW_CHAT = 'new';

type TurnLeft = { conversation: ConversationPage['items'][number]; quota: ModelUsage | null };

/**
 * Every cached list of conversations (the sidebar's recent and pinned lists, a group's, the
 * archive, a search) with the conversation as the turn left it (`withConversation`); a list that
 * cannot be placed in here is fetched when next shown.
 */
function placeInLists(queryClient: QueryClient, conversation: TurnLeft['conversation']) {
  for (const query of queryClient.getQueryCache().findAll({ queryKey: getQueryKey(trpc.chat.conversations) })) {
    const [, meta] = query.queryKey as [unknown, { input?: ConversationListInput; type?: string } | undefined];
    const input = meta?.input ?? {};
    const data = query.state.data as { pages: ConversationPage[] } | ConversationPage | undefined;
    if (!data) continue;
    const infinite = 'pages' in data;
    const pages = withConversation(infinite ? data.pages : [data], input, conversation);
    if (!pages) void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    else queryClient.setQueryData(query.queryKey, infinite ? { ...data, pages } : pages[0]);
  }
}

export type Turns = Record<string, TurnState>;
type TurnsAction =
  | { type: 'put'; key: string; turn: TurnState }
  | { type: 'turn'; key: string; id: string; action: TurnAction }
  | { type: 'move'; from: string; to: string; id: string }
  | { type: 'clear'; key: string; id: string };

/** The turns per conversation: pure, so the tests can drive it. */
export function turnsReducer(turns: Turns, action: TurnsAction): Turns {
  switch (action.type) {
    case 'put':
      return { ...turns, [action.key]: action.turn };
    case 'turn': {
      const turn = turns[action.key];
      // An old turn's late events must not touch the turn that replaced it.
      if (!turn || turn.id !== action.id) return turns;
      const next = turnReducer(turn, action.action);
      return next === turn ? turns : { ...turns, [action.key]: next };
    }
    case 'move': {
      const turn = turns[action.from];
      if (!turn || turn.id !== action.id) return turns;
      const { [action.from]: _moved, ...rest } = turns;
      return { ...rest, [action.to]: turn };
    }
    case 'clear': {
      if (turns[action.key]?.id !== action.id) return turns;
      const { [action.key]: _cleared, ...rest } = turns;
      return rest;
    }
  }
}

export type SendOptions = {
  conversationId?: string | null;
  content: string;
  modelId?: string | null;
  /** Left out: the conversation's style (a new one's: the student's chosen one); null: none. */
  presetId?: string | null;
  /** Uploaded files that go with the message. */
  attachmentIds?: string[];
  /** Edit this earlier question: the new one starts a branch beside it. */
  editOf?: string | null;
  /** The messages the new question replaces in view while it streams (an edit: the old question and what followed). */
  replacedIds?: string[];
  /** A new conversation exists (its `started` event arrived): the page moves to it. */
  onStarted?: (conversation: Conversation) => void;
  /** Refused before anything streamed: the page gives the question back to the composer. */
  onRejected?: (content: string) => void;
};

type ChatStreams = {
  /** The live or last turn per conversation id (or NEW_CHAT). */
  turns: Turns;
  send(options: SendOptions): void;
  regenerate(options: { conversationId: string; replacedIds: string[]; modelId?: string | null }): void;
  /** Follows the answer a conversation is waiting for (produced on any server), after a reload. */
  attach(conversationId: string): void;
  /** Stops the answer on whichever server produces it; the stream then ends with the saved, stopped answer. */
  stop(key: string): void;
  /** Forgets a finished turn (a new chat page starts clean). */
  clear(key: string): void;
};

const Context = createContext<ChatStreams | null>(null);

// Deltas arrive word by word; rendering markdown once per frame-ish batch is plenty.
const TEXT_FLUSH_MS = 40;
// The title is written after the answer; the list is refreshed once more when it likely exists.
const TITLE_REFRESH_MS = 2000;
// A stream lost mid-answer (the network dropped, the server restarted) is followed again after
// each of these pauses in turn: the answer goes on on the server meanwhile.
const RESUME_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

type RunOptions = Pick<SendOptions, 'onStarted' | 'onRejected'> & {
  /** Attaching: an answer that is no longer running shows nothing (its saved copy follows). */
  quietIfNothing?: boolean;
  /** Following a lost stream again: the first `skip` characters are on screen already. */
  resume?: { skip: number; attempt: number };
};

/**
 * Runs chat turns for the chat pages. It lives in the /chat layout, so a turn survives moving
 * from the new-chat page to the conversation's own page while it streams.
 */
export function ChatStreamsProvider({ children }: { children: ReactNode }) {
  const [turns, dispatch] = useReducer(turnsReducer, {});
  const controllers = useRef(new Map<string, AbortController>());
  const keys = useRef(new Map<string, string>());
  // Stop pressed before the server named the conversation: sent once it does.
  const stopWhenStarted = useRef(new Set<string>());
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  // The turns as last rendered, for a reconnection that fires later.
  const latest = useRef(turns);
  const runAgain = useRef<((turn: TurnState, key: string, open: (signal: AbortSignal) => Promise<AsyncIterable<StreamEvent>>, options: RunOptions) => Promise<void>) | null>(null);

  /**
   * What a turn changed, once it ends. The answer's end names the conversation as its list now
   * shows it and the model's quota: they go into the cached lists and quota as they are, and only
   * a list that cannot be placed in here (a title search) or a turn that ended otherwise (failed,
   * or followed after a reload) fetches them (one batched request). The chat's messages stay too,
   * when the turn was a plain follow-up whose question and saved answer the cached pages take as
   * they are (`withExchange`); the user's files are fetched only after a drawing, which keeps its
   * picture there. A turn never changes the groups, nor what the chat's header shows but its title,
   * which is written after the first answer: then the chat and its list are fetched at once (a
   * quick title is there already) and once more when the title likely exists, with the quota (the
   * title's call is metered). A new chat joins the lists from its `started` event.
   * Refetching all of it after every turn was most of the server's work for a follow-up asked
   * from the web app.
   */
  const refresh = useCallback(
    (
      conversationId: string | null,
      turn: { firstAnswer: boolean; drew: boolean; exchange: { question: ChatMessage; answer: ChatMessage } | null; left: TurnLeft | null },
    ) => {
      const { left } = turn;
      if (left) placeInLists(queryClient, left.conversation);
      else void utils.chat.conversations.invalidate();
      const quota = left?.quota;
      const usage = utils.usage.mine.getData();
      if (quota && usage?.some((row) => row.model.id === quota.model.id))
        utils.usage.mine.setData(undefined, usage.map((row) => (row.model.id === quota.model.id ? quota : row)));
      else void utils.usage.mine.invalidate();
      if (turn.drew) void utils.attachments.storage.invalidate();
      if (!conversationId) return;
      const page = { conversationId, limit: MESSAGES_PAGE };
      const { exchange } = turn;
      const cached = exchange ? utils.chat.messages.getInfiniteData(page) : undefined;
      const pages = exchange && cached ? withExchange(cached.pages, exchange.question, exchange.answer) : null;
      if (cached && pages) utils.chat.messages.setInfiniteData(page, { ...cached, pages });
      else void utils.chat.messages.invalidate({ conversationId });
      if (!turn.firstAnswer) return;
      void utils.chat.conversations.invalidate();
      void utils.chat.get.invalidate({ id: conversationId });
      setTimeout(() => {
        void utils.chat.conversations.invalidate();
        void utils.chat.get.invalidate({ id: conversationId });
        void utils.usage.mine.invalidate();
      }, TITLE_REFRESH_MS);
    },
    [utils, queryClient],
  );

  const run = useCallback(
    async (
      turn: TurnState,
      key: string,
      open: (signal: AbortSignal) => Promise<AsyncIterable<StreamEvent>>,
      options: RunOptions = {},
    ) => {
      const controller = new AbortController();
      controllers.current.set(turn.id, controller);
      keys.current.set(turn.id, key);
      dispatch({ type: 'put', key, turn });
      const act = (action: TurnAction) => dispatch({ type: 'turn', key: keys.current.get(turn.id) ?? key, id: turn.id, action });

      let pending = '';
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (pending) act({ type: 'text', text: pending });
        pending = '';
      };

      let conversationId: string | null = key === NEW_CHAT ? null : key;
      let started = false;
      let drew = false;
      // A plain follow-up's question and saved answer, which the cached pages can take as they are.
      let question: ChatMessage | null = null;
      let exchange: { question: ChatMessage; answer: ChatMessage } | null = null;
      // The answer to the conversation's first question: its title comes after it (also when a reload attached to it).
      let firstAnswer = false;
      // The conversation as its list now shows it and the model's quota, as the answer's end reported them.
      let left: TurnLeft | null = null;
      let ended = false;
      let skip = options.resume?.skip ?? 0;
      const attempt = options.resume?.attempt ?? 0;
      /** Follows the answer again later, as long as this turn is still the live one; false when out of tries. */
      const resumeLater = () => {
        const id = conversationId;
        if (!id || attempt >= RESUME_DELAYS_MS.length) return false;
        setTimeout(() => {
          const current = latest.current[id];
          if (!current || current.id !== turn.id || !isActive(current)) return;
          void runAgain.current?.({ ...current, id: crypto.randomUUID() }, id, (signal) => utils.client.chat.attach.query({ conversationId: id }, { signal }), {
            quietIfNothing: true,
            resume: { skip: current.text.length, attempt: attempt + 1 },
          });
        }, RESUME_DELAYS_MS[attempt]);
        return true;
      };
      try {
        const events = await open(controller.signal);
        for await (const event of events) {
          if (event.type === 'delta') {
            // A stream followed again starts from the beginning of the answer.
            const cut = Math.min(skip, event.text.length);
            skip -= cut;
            if (cut === event.text.length) continue;
            pending += event.text.slice(cut);
            timer ??= setTimeout(flush, TEXT_FLUSH_MS);
            continue;
          }
          flush();
          act({ type: 'event', event });
          if (event.type === 'started') {
            started = true;
            drew = event.model.draws;
            question = event.userMessage;
            if (event.userMessage?.parentId === null) firstAnswer = true;
            conversationId = event.conversation.id;
            if (stopWhenStarted.current.delete(turn.id)) void utils.client.chat.stop.mutate({ conversationId }).catch(() => controller.abort());
            if (keys.current.get(turn.id) !== conversationId) {
              dispatch({ type: 'move', from: keys.current.get(turn.id)!, to: conversationId, id: turn.id });
              keys.current.set(turn.id, conversationId);
              // A new chat: the sidebar shows it from here, as its list would.
              placeInLists(queryClient, event.conversation);
              options.onStarted?.(event.conversation);
            }
          }
          if (event.type === 'finished' || event.type === 'failed') ended = true;
          if (event.type === 'finished' && 'conversation' in event && event.conversation) left = { conversation: event.conversation, quota: event.quota ?? null };
          if (event.type === 'finished' && event.status === 'completed' && event.message && question && turn.kind === 'send' && turn.replacedIds.length === 0)
            exchange = { question, answer: event.message };
        }
        flush();
        // Attaching found no running answer (it ended meanwhile): nothing to show.
        if (!started && options.quietIfNothing) dispatch({ type: 'clear', key, id: turn.id });
        else if (!ended && (controller.signal.aborted || !resumeLater())) act({ type: 'closed' });
      } catch (error) {
        flush();
        if (controller.signal.aborted) act({ type: 'closed' });
        else if ((started || options.resume) && classifyError(error).kind === 'connection' && resumeLater()) {
          // The answer goes on on the server: shown again once the stream is back.
        } else {
          act({ type: 'rejected', error: classifyError(error) });
          if (!started && turn.content !== null) options.onRejected?.(turn.content);
        }
      } finally {
        controllers.current.delete(turn.id);
        stopWhenStarted.current.delete(turn.id);
        refresh(conversationId, { firstAnswer, drew, exchange, left });
      }
    },
    [refresh, utils, queryClient],
  );
  useEffect(() => {
    latest.current = turns;
    runAgain.current = run;
  });

  const value = useMemo<ChatStreams>(
    () => ({
      turns,
      send({ conversationId, content, modelId, presetId, attachmentIds, editOf, replacedIds, onStarted, onRejected }) {
        const key = conversationId ?? NEW_CHAT;
        const turn = startTurn({ id: crypto.randomUUID(), kind: 'send', content, replacedIds: replacedIds ?? [] });
        void run(
          turn,
          key,
          (signal) =>
            utils.client.chat.send.mutate(sendInput({ conversationId, content, modelId, presetId, editOf, attachmentIds }), { signal }),
          { onStarted, onRejected },
        );
      },
      regenerate({ conversationId, replacedIds, modelId }) {
        const turn = startTurn({ id: crypto.randomUUID(), kind: 'regenerate', replacedIds });
        void run(turn, conversationId, (signal) => utils.client.chat.regenerate.mutate({ conversationId, modelId: modelId ?? null }, { signal }));
      },
      attach(conversationId) {
        const turn = startTurn({ id: crypto.randomUUID(), kind: 'attach' });
        void run(turn, conversationId, (signal) => utils.client.chat.attach.query({ conversationId }, { signal }), { quietIfNothing: true });
      },
      stop(key) {
        const turn = turns[key];
        if (!turn) return;
        dispatch({ type: 'turn', key, id: turn.id, action: { type: 'stop' } });
        // Leaving the stream would not stop the answer (it outlives the request): ask the server.
        const conversationId = turn.conversation?.id ?? (key === NEW_CHAT ? null : key);
        if (!conversationId) stopWhenStarted.current.add(turn.id);
        // If the stop cannot be sent, at least stop showing the answer.
        else void utils.client.chat.stop.mutate({ conversationId }).catch(() => controllers.current.get(turn.id)?.abort());
      },
      clear(key) {
        const turn = turns[key];
        if (turn) dispatch({ type: 'clear', key, id: turn.id });
      },
    }),
    [turns, run, utils],
  );

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useChatStreams(): ChatStreams {
  const streams = useContext(Context);
  if (!streams) throw new Error('useChatStreams() needs <ChatStreamsProvider> (the /chat layout).');
  return streams;
}
