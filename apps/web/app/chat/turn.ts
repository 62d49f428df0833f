import type { ChatMessage, Conversation, ConversationPage, LimitDetails, MessagePage, StreamEvent } from './types';

/**
 * One streamed turn (a question and its answer) as a small state machine:
 *
 *   submitting ─started→ streaming ─finished→ completed | stopped
 *        │                  │      └─failed──→ failed
 *        │                  └─closed (after Stop)→ stopped;  closed (otherwise)→ failed
 *        └─rejected (refused before the stream: limits, validation)→ rejected
 *
 * The state is pure data so that the pages can render it and the tests can drive it; the
 * runner in `ChatStreams.tsx` feeds it the server's events.
 */
export type TurnPhase = 'submitting' | 'streaming' | 'completed' | 'stopped' | 'failed' | 'rejected';

export type TurnError =
  /** A daily request or monthly token limit refused the question. */
  | { kind: 'limit'; limit: LimitDetails }
  /** The model failed mid-answer (the server's `failed` event). */
  | { kind: 'upstream'; message: string }
  /** The stream broke without the server saying how the answer ended. */
  | { kind: 'connection' }
  /** The server refused the question: a message safe to show. */
  | { kind: 'refused'; code: string; message: string };

export type TurnState = {
  /** Unique per turn: the key of its abort controller. */
  id: string;
  /** 'attach': an answer already running when the page loaded (a reload mid-answer). */
  kind: 'send' | 'regenerate' | 'attach';
  phase: TurnPhase;
  /** The question as typed (send only): shown until the server confirms it, restored if refused. */
  content: string | null;
  conversation: Conversation | null;
  userMessage: ChatMessage | null;
  model: { id: string; displayName: string; draws?: boolean } | null;
  /** The answer so far. */
  text: string;
  /** The saved answer, once the server reports it. */
  message: ChatMessage | null;
  error: TurnError | null;
  /** Regenerate: the answers this turn replaces (hidden while it streams). */
  replacedIds: string[];
  /** The user pressed Stop; the connection closing is the expected end. */
  stopRequested: boolean;
};

export type TurnAction =
  | { type: 'event'; event: StreamEvent }
  /** Text deltas, batched per frame. */
  | { type: 'text'; text: string }
  | { type: 'stop' }
  /** The stream ended (or threw) without a final event. */
  | { type: 'closed' }
  | { type: 'rejected'; error: TurnError };

export function startTurn(input: { id: string; kind: TurnState['kind']; content?: string | null; replacedIds?: string[] }): TurnState {
  return {
    id: input.id,
    kind: input.kind,
    phase: 'submitting',
    content: input.content ?? null,
    conversation: null,
    userMessage: null,
    model: null,
    text: '',
    message: null,
    error: null,
    replacedIds: input.replacedIds ?? [],
    stopRequested: false,
  };
}

export const isActive = (turn: TurnState | null | undefined): boolean =>
  turn?.phase === 'submitting' || turn?.phase === 'streaming';

export function turnReducer(turn: TurnState, action: TurnAction): TurnState {
  switch (action.type) {
    case 'event':
      return applyEvent(turn, action.event);
    case 'text':
      return isActive(turn) ? { ...turn, text: turn.text + action.text } : turn;
    case 'stop':
      return isActive(turn) ? { ...turn, stopRequested: true } : turn;
    case 'closed':
      if (!isActive(turn)) return turn;
      return turn.stopRequested ? { ...turn, phase: 'stopped' } : { ...turn, phase: 'failed', error: { kind: 'connection' } };
    case 'rejected':
      if (!isActive(turn)) return turn;
      // Refused before anything streamed: nothing was kept, the question goes back to the composer.
      if (turn.phase === 'submitting') return { ...turn, phase: 'rejected', error: action.error };
      return { ...turn, phase: turn.stopRequested ? 'stopped' : 'failed', error: turn.stopRequested ? null : action.error };
  }
}

function applyEvent(turn: TurnState, event: StreamEvent): TurnState {
  if (!isActive(turn)) return turn;
  switch (event.type) {
    case 'started':
      return { ...turn, phase: 'streaming', conversation: event.conversation, userMessage: event.userMessage, model: event.model };
    case 'delta':
      return { ...turn, text: turn.text + event.text };
    case 'finished':
      // The server answering it died: what it had streamed is saved, marked interrupted.
      if (event.status === 'interrupted')
        return {
          ...turn,
          phase: 'failed',
          message: event.message,
          text: event.message?.content ?? turn.text,
          error: { kind: 'upstream', message: event.message?.error ?? '' },
        };
      return {
        ...turn,
        phase: event.status === 'aborted' ? 'stopped' : 'completed',
        message: event.message,
        text: event.message?.content ?? turn.text,
      };
    case 'failed':
      return {
        ...turn,
        phase: 'failed',
        message: event.message,
        text: event.message?.content ?? turn.text,
        error: { kind: 'upstream', message: event.error },
      };
  }
}

/** What the message list shows: saved messages, plus the question and answer of a live turn. */
export type DisplayItem =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'pending-question'; content: string }
  | { kind: 'turn'; turn: TurnState };

/**
 * The saved messages with the turn laid over them until the saved list has caught up: the
 * answer appears in place as it streams, and is replaced by its saved copy without a jump
 * once the messages are fetched again.
 */
export function mergeTurn(saved: readonly ChatMessage[], turn: TurnState | null | undefined): DisplayItem[] {
  const asItems = (messages: readonly ChatMessage[]) => messages.map((message): DisplayItem => ({ kind: 'message', message }));
  if (!turn || isSettled(saved, turn)) return asItems(saved);
  if (turn.phase === 'rejected') return [...asItems(saved), { kind: 'turn', turn }];

  const replaced = new Set(turn.replacedIds);
  let base = saved.filter((message) => !replaced.has(message.id));
  const question = turn.userMessage;
  if (question) {
    base = base.filter((message) => message.id !== question.id && !(message.role === 'assistant' && message.createdAt > question.createdAt));
    return [...asItems(base), { kind: 'message', message: question }, { kind: 'turn', turn }];
  }
  if (turn.kind === 'send' && turn.content !== null) return [...asItems(base), { kind: 'pending-question', content: turn.content }, { kind: 'turn', turn }];
  return [...asItems(base), { kind: 'turn', turn }];
}

/** The saved list holds this turn's answer (its id, or, after a Stop, a new answer after the question). */
export function isSettled(saved: readonly ChatMessage[], turn: TurnState): boolean {
  if (isActive(turn)) return false;
  if (turn.message) return saved.some((message) => message.id === turn.message!.id);
  const question = turn.userMessage;
  if (!question || turn.phase !== 'stopped') return false;
  const replaced = new Set(turn.replacedIds);
  return saved.some((message) => message.role === 'assistant' && message.createdAt > question.createdAt && !replaced.has(message.id));
}

/** The answers a regenerate of this conversation replaces: every answer after the last question. */
export function answersAfterLastQuestion(saved: readonly ChatMessage[]): string[] {
  const lastQuestion = saved.findLastIndex((message) => message.role === 'user');
  return lastQuestion < 0 ? [] : saved.slice(lastQuestion + 1).filter((message) => message.role === 'assistant').map((message) => message.id);
}

/** How many messages the conversation page asks for at a time (its `chat.messages` query, which a finished turn updates). */
export const MESSAGES_PAGE = 50;

/**
 * The conversation's cached pages (newest first) with a finished turn's question and answer added
 * to the newest, as `chat.messages` would now return them, so the page needs not read them again:
 * only for a plain follow-up, whose question continues the branch where the cached pages end and
 * whose question and answer are each a version of its own. Null when the pages end elsewhere
 * (another branch in view, nothing loaded yet): then they are fetched.
 */
export function withExchange(pages: readonly MessagePage[], question: ChatMessage, answer: ChatMessage): MessagePage[] | null {
  const newest = pages[0];
  if (!newest) return null;
  const held = newest.items.filter((message) => message.id === question.id || message.id === answer.id).length;
  if (held === 2) return [...pages];
  // The question alone (read while its answer was still running, as after a dropped stream): fetched.
  if (held === 1) return null;
  const last = newest.items.at(-1);
  if (!last || question.parentId !== last.id || answer.parentId !== question.id) return null;
  const items = [...newest.items, { ...question, versionIds: [question.id] }, { ...answer, versionIds: [answer.id] }];
  return [{ ...newest, items }, ...pages.slice(1)];
}

type ListedConversation = ConversationPage['items'][number];
/** What a list of conversations was asked for (`chat.conversations`' filters; the limit and cursor aside). */
export type ConversationListInput = { pinned?: boolean; archived?: boolean; group?: string | null; search?: string };

const newerFirst = (a: ListedConversation, b: ListedConversation) =>
  new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Whether a list with these filters shows the conversation; null when only the server can tell (a title search). */
function listTakes(input: ConversationListInput, conversation: ListedConversation): boolean | null {
  if (input.pinned !== undefined && input.pinned !== conversation.pinned) return false;
  if (input.group !== undefined && input.group !== conversation.group) return false;
  // A search finds archived conversations too; its match is the title's, which only the server reads.
  if (input.search) return null;
  return (input.archived === true) === conversation.archived;
}

/**
 * A cached list of conversations (its pages, newest first) with one conversation as a turn's end
 * left it: taken out where it was and put where `chat.conversations` would now list it, if the
 * list's filters take it and that place is loaded. Null when that cannot be known here (a title
 * search the conversation was not already in): then the list is fetched.
 */
export function withConversation(pages: readonly ConversationPage[], input: ConversationListInput, conversation: ListedConversation): ConversationPage[] | null {
  const held = pages.some((page) => page.items.some((item) => item.id === conversation.id));
  const takes = listTakes(input, conversation) ?? (held ? true : null);
  if (takes === null) return null;
  const rest = pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== conversation.id) }));
  if (!takes) return rest;
  // The pages are consecutive slices of one order: the conversation joins the first page whose
  // last item it comes before, or the last page when nothing more is to be loaded.
  let at = rest.findIndex((page) => page.items.length > 0 && newerFirst(conversation, page.items.at(-1)!) < 0);
  if (at === -1 && rest.at(-1)?.nextCursor === null) at = rest.length - 1;
  if (at === -1) return rest;
  return rest.map((page, index) => (index === at ? { ...page, items: [...page.items, conversation].sort(newerFirst) } : page));
}
