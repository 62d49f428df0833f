import { describe, expect, it } from 'vitest';
import { answersAfterLastQuestion, isActive, mergeTurn, startTurn, turnReducer, withConversation, withExchange, type TurnAction, type TurnState } from './turn';
import type { ChatMessage, Conversation, ConversationPage, MessagePage, StreamEvent } from './types';

const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));

function message(id: string, role: 'user' | 'assistant', second: number, content = `${role} ${id}`): ChatMessage {
  return {
    id,
    role,
    content,
    model: role === 'assistant' ? 'demo' : null,
    createdAt: at(second),
    style: null,
    usage: null,
    estimated: false,
    aborted: false,
    cacheHit: false,
    error: null,
    finishReason: role === 'assistant' ? 'stop' : null,
  } as ChatMessage;
}

const conversation = { id: 'c1', title: 'New chat', group: null, presetId: null, modelId: null, createdAt: at(0), updatedAt: at(0) } as Conversation;
const question = message('q2', 'user', 10, 'Why is the sky blue?');
const started: StreamEvent = { type: 'started', conversation, userMessage: question, model: { id: 'demo', displayName: 'Demo (offline)' } } as StreamEvent;
const delta = (text: string) => ({ type: 'delta', text }) as StreamEvent;

const play = (turn: TurnState, ...actions: TurnAction[]) => actions.reduce(turnReducer, turn);
const events = (...list: StreamEvent[]) => list.map((event): TurnAction => ({ type: 'event', event }));

describe('a streamed turn', () => {
  const fresh = () => startTurn({ id: 't1', kind: 'send', content: 'Why is the sky blue?' });

  it('follows an answer attached after a reload to its end, failed and saved when its server died', () => {
    const saved = { ...message('a9', 'assistant', 12, 'Light scat'), aborted: true, error: 'The answer was interrupted: the server answering it stopped.' };
    const turn = play(
      startTurn({ id: 't2', kind: 'attach' }),
      ...events(started, delta('Light scat'), { type: 'finished', status: 'interrupted', message: saved } as StreamEvent),
    );
    expect(turn).toMatchObject({ phase: 'failed', text: 'Light scat', message: { id: 'a9' }, error: { kind: 'upstream', message: saved.error } });
    // Under its question in the list, with nothing typed to show as pending.
    expect(mergeTurn([message('q1', 'user', 1)], { ...turn, phase: 'streaming' }).map((item) => item.kind)).toEqual(['message', 'message', 'turn']);
  });

  it('goes from submitting to streaming to completed, keeping the text as it grows', () => {
    let turn = play(fresh(), ...events(started, delta('Light '), delta('scatters')));
    expect(turn.phase).toBe('streaming');
    expect(turn.text).toBe('Light scatters');
    expect(turn.userMessage?.id).toBe('q2');
    expect(isActive(turn)).toBe(true);

    const saved = message('a2', 'assistant', 11, 'Light scatters.');
    turn = play(turn, ...events({ type: 'finished', status: 'completed', message: saved } as StreamEvent));
    expect(turn).toMatchObject({ phase: 'completed', text: 'Light scatters.', message: { id: 'a2' } });
    expect(isActive(turn)).toBe(false);
  });

  it('appends batched text as if it were deltas', () => {
    const turn = play(fresh(), ...events(started), { type: 'text', text: 'Light ' }, { type: 'text', text: 'scatters' });
    expect(turn.text).toBe('Light scatters');
  });

  it('ends as stopped when the server reports an aborted answer', () => {
    const saved = { ...message('a2', 'assistant', 11, 'Light'), aborted: true };
    const turn = play(fresh(), ...events(started, delta('Light'), { type: 'finished', status: 'aborted', message: saved } as StreamEvent));
    expect(turn.phase).toBe('stopped');
    expect(turn.text).toBe('Light');
  });

  it('ends as stopped, keeping the partial text, when the connection closes after Stop', () => {
    const turn = play(fresh(), ...events(started, delta('Light sca')), { type: 'stop' }, { type: 'closed' });
    expect(turn).toMatchObject({ phase: 'stopped', text: 'Light sca', error: null, stopRequested: true });
  });

  it('fails with a connection error when the stream closes without an end and nobody pressed Stop', () => {
    const turn = play(fresh(), ...events(started, delta('Light')), { type: 'closed' });
    expect(turn).toMatchObject({ phase: 'failed', text: 'Light', error: { kind: 'connection' } });
  });

  it('keeps the error and the partial answer of a failed turn', () => {
    const saved = { ...message('a2', 'assistant', 11, 'Light'), error: 'upstream broke' };
    const turn = play(fresh(), ...events(started, delta('Light'), { type: 'failed', error: 'upstream broke', message: saved } as StreamEvent));
    expect(turn).toMatchObject({ phase: 'failed', text: 'Light', error: { kind: 'upstream', message: 'upstream broke' }, message: { id: 'a2' } });
  });

  it('is rejected when refused before anything streamed', () => {
    const limit = { limit: 'dailyRequests', model: 'demo', max: 100, remaining: 0, resetsAt: at(0).toISOString() } as const;
    const turn = play(fresh(), { type: 'rejected', error: { kind: 'limit', limit } });
    expect(turn).toMatchObject({ phase: 'rejected', error: { kind: 'limit', limit: { max: 100 } } });
  });

  it('ignores whatever arrives after it ended', () => {
    const done = play(fresh(), ...events(started), { type: 'stop' }, { type: 'closed' });
    expect(play(done, ...events(delta('late')), { type: 'closed' }, { type: 'text', text: 'later' })).toBe(done);
  });
});

describe('the message list with a live turn', () => {
  const history = [message('q1', 'user', 1), message('a1', 'assistant', 2)];
  const kinds = (items: ReturnType<typeof mergeTurn>) =>
    items.map((item) => (item.kind === 'message' ? item.message.id : item.kind === 'turn' ? `turn:${item.turn.phase}` : `pending:${item.content}`));

  it('shows the question as typed until the server confirms it', () => {
    const turn = startTurn({ id: 't', kind: 'send', content: 'Why?' });
    expect(kinds(mergeTurn(history, turn))).toEqual(['q1', 'a1', 'pending:Why?', 'turn:submitting']);
  });

  it('shows the saved question once, even when the saved list already has it', () => {
    const turn = play(startTurn({ id: 't', kind: 'send', content: 'Why?' }), ...events(started));
    expect(kinds(mergeTurn(history, turn))).toEqual(['q1', 'a1', 'q2', 'turn:streaming']);
    expect(kinds(mergeTurn([...history, question], turn))).toEqual(['q1', 'a1', 'q2', 'turn:streaming']);
  });

  it('gives way to the saved answer once the list holds it', () => {
    const saved = message('a2', 'assistant', 11);
    const turn = play(startTurn({ id: 't', kind: 'send', content: 'Why?' }), ...events(started, { type: 'finished', status: 'completed', message: saved } as StreamEvent));
    expect(kinds(mergeTurn(history, turn))).toEqual(['q1', 'a1', 'q2', 'turn:completed']);
    expect(kinds(mergeTurn([...history, question, saved], turn))).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('after a Stop, gives way to the first saved answer after the question', () => {
    const turn = play(startTurn({ id: 't', kind: 'send', content: 'Why?' }), ...events(started), { type: 'stop' }, { type: 'closed' });
    expect(kinds(mergeTurn([...history, question], turn))).toEqual(['q1', 'a1', 'q2', 'turn:stopped']);
    const partial = { ...message('a2', 'assistant', 11), aborted: true };
    expect(kinds(mergeTurn([...history, question, partial], turn))).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('hides the answer being regenerated until its replacement is saved', () => {
    const replacedIds = answersAfterLastQuestion(history);
    expect(replacedIds).toEqual(['a1']);
    const regenerating = play(startTurn({ id: 't', kind: 'regenerate', replacedIds }), ...events({ ...started, userMessage: history[0]! } as StreamEvent));
    expect(kinds(mergeTurn(history, regenerating))).toEqual(['q1', 'turn:streaming']);
    const stopped = play(regenerating, { type: 'stop' }, { type: 'closed' });
    // The old answer is still in the cached list: it is not the new one.
    expect(kinds(mergeTurn(history, stopped))).toEqual(['q1', 'turn:stopped']);
    expect(kinds(mergeTurn([history[0]!, message('a9', 'assistant', 20)], stopped))).toEqual(['q1', 'a9']);
  });

  it('shows a refused turn as a notice after the saved messages, without the question', () => {
    const turn = play(startTurn({ id: 't', kind: 'send', content: 'Why?' }), { type: 'rejected', error: { kind: 'connection' } });
    expect(kinds(mergeTurn(history, turn))).toEqual(['q1', 'a1', 'turn:rejected']);
  });
});

describe('a finished follow-up in the cached pages', () => {
  const inBranch = (id: string, role: 'user' | 'assistant', second: number, parentId: string | null, versionIds = [id]) => ({ ...message(id, role, second), parentId, versionIds, attachments: [] });
  const older: MessagePage = { items: [inBranch('q0', 'user', 1, null), inBranch('a0', 'assistant', 2, 'q0')], nextCursor: null };
  const newest: MessagePage = { items: [inBranch('q1', 'user', 3, 'a0'), inBranch('a1', 'assistant', 4, 'q1', ['a1', 'a1b'])], nextCursor: 'q1' };
  const asked = { ...message('q2', 'user', 5), parentId: 'a1', attachments: [] } as ChatMessage;
  const answered = { ...message('a2', 'assistant', 6), parentId: 'q2', attachments: [] } as ChatMessage;

  it('adds the question and its answer to the newest page, each a version of its own, as the list would read them', () => {
    const pages = withExchange([newest, older], asked, answered)!;
    expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([['q1', 'a1', 'q2', 'a2'], ['q0', 'a0']]);
    expect(pages[0]!.items.slice(2).map((item) => item.versionIds)).toEqual([['q2'], ['a2']]);
    expect(pages[0]!.nextCursor).toBe('q1');
    expect(pages[1]).toBe(older);
    // The cached pages themselves are left as they were.
    expect(newest.items).toHaveLength(2);
  });

  it('leaves pages that already hold them as they are', () => {
    const read = withExchange([newest, older], asked, answered)!;
    expect(withExchange(read, asked, answered)).toEqual(read);
  });

  it('gives up when the pages hold the question without its answer: they are fetched instead', () => {
    const withQuestion: MessagePage = { ...newest, items: [...newest.items, { ...asked, versionIds: ['q2'] }] };
    expect(withExchange([withQuestion, older], asked, answered)).toBeNull();
  });

  it('gives up when the pages end elsewhere or hold nothing yet: they are fetched instead', () => {
    expect(withExchange([newest, older], { ...asked, parentId: 'a1b' }, answered)).toBeNull();
    expect(withExchange([newest], asked, { ...answered, parentId: 'q1' })).toBeNull();
    expect(withExchange([{ items: [], nextCursor: null }], asked, answered)).toBeNull();
    expect(withExchange([], asked, answered)).toBeNull();
  });
});

describe('a conversation a turn ended in, in the cached lists', () => {
  type Listed = ConversationPage['items'][number];
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute));
  const listed = (id: string, minute: number, extra: Partial<Listed> = {}): Listed => ({
    id,
    title: id,
    group: null,
    presetId: null,
    modelId: null,
    activeLeafId: null,
    pinned: false,
    archived: false,
    createdAt: at(0),
    updatedAt: at(minute),
    ...extra,
  });
  const ids = (pages: ConversationPage[] | null) => pages?.map((page) => page.items.map((item) => item.id));
  const cursor = (item: Listed) => ({ updatedAt: item.updatedAt, id: item.id });
  const first: ConversationPage = { items: [listed('c9', 9), listed('c8', 8)], nextCursor: cursor(listed('c8', 8)) };
  const second: ConversationPage = { items: [listed('c7', 7), listed('c6', 6)], nextCursor: cursor(listed('c6', 6)) };
  const recent = { pinned: false };

  it('moves it to where the list orders it now, with what the server returned, leaving the rest', () => {
    const pages = withConversation([first, second], recent, listed('c7', 10, { activeLeafId: 'a2' }))!;
    expect(ids(pages)).toEqual([['c7', 'c9', 'c8'], ['c6']]);
    expect(pages[0]!.items[0]!.activeLeafId).toBe('a2');
    expect(pages.map((page) => page.nextCursor)).toEqual([first.nextCursor, second.nextCursor]);
    expect(first.items.map((item) => item.id)).toEqual(['c9', 'c8']);
  });

  it('brings in one the loaded pages did not reach, and keeps out one beyond them', () => {
    expect(ids(withConversation([first], recent, listed('c1', 10)))).toEqual([['c1', 'c9', 'c8']]);
    expect(ids(withConversation([first], recent, listed('c1', 1)))).toEqual([['c9', 'c8']]);
    // Nothing more to load: the list ends with it.
    expect(ids(withConversation([{ ...first, nextCursor: null }], recent, listed('c1', 1)))).toEqual([['c9', 'c8', 'c1']]);
    expect(ids(withConversation([{ items: [], nextCursor: null }], recent, listed('c1', 1)))).toEqual([['c1']]);
  });

  it('takes it out of a list whose filters no longer take it, and leaves other lists as they were', () => {
    expect(ids(withConversation([first], recent, listed('c9', 10, { pinned: true })))).toEqual([['c8']]);
    expect(ids(withConversation([first], { pinned: true }, listed('c1', 10)))).toEqual([['c9', 'c8']]);
    expect(ids(withConversation([first], recent, listed('c1', 10, { archived: true })))).toEqual([['c9', 'c8']]);
    expect(ids(withConversation([first], { archived: true }, listed('c1', 10, { archived: true })))).toEqual([['c1', 'c9', 'c8']]);
    expect(ids(withConversation([first], { group: 'Physics' }, listed('c1', 10)))).toEqual([['c9', 'c8']]);
    expect(ids(withConversation([first], { group: 'Physics' }, listed('c1', 10, { group: 'Physics' })))).toEqual([['c1', 'c9', 'c8']]);
  });

  it('reorders a title search it was in, and leaves one it was not in to the server', () => {
    expect(ids(withConversation([first, second], { search: 'c' }, listed('c6', 10)))).toEqual([['c6', 'c9', 'c8'], ['c7']]);
    expect(withConversation([first], { search: 'c' }, listed('c1', 10))).toBeNull();
  });
});
