import { describe, expect, it } from 'vitest';
import { NEW_CHAT, turnsReducer } from './ChatStreams';
import { classifyError } from './errors';
import { startTurn } from './turn';
import type { StreamEvent } from './types';

describe('what a failed call means for the chat', () => {
  it('reads a limit from TOO_MANY_REQUESTS', () => {
    const limit = { limit: 'dailyRequests', model: 'demo', max: 100, remaining: 0, resetsAt: '2026-11-24T00:00:00.000Z' };
    expect(classifyError({ message: 'You have used all 100 requests', data: { code: 'TOO_MANY_REQUESTS', limit } })).toEqual({ kind: 'limit', limit });
  });

  it('keeps the code and message of any other refusal', () => {
    expect(classifyError({ message: 'No such conversation.', data: { code: 'NOT_FOUND', limit: null } })).toEqual({
      kind: 'refused',
      code: 'NOT_FOUND',
      message: 'No such conversation.',
    });
  });

  it('calls anything without a tRPC code a lost connection', () => {
    expect(classifyError(new TypeError('Failed to fetch'))).toEqual({ kind: 'connection' });
    expect(classifyError(undefined)).toEqual({ kind: 'connection' });
  });
});

describe('the turns of several conversations', () => {
  const started = (id: string) =>
    ({ type: 'started', conversation: { id }, userMessage: { id: 'q', createdAt: new Date() }, model: { id: 'demo', displayName: 'Demo' } }) as StreamEvent;

  it('moves a new chat’s turn to its conversation once the server names it', () => {
    const turn = startTurn({ id: 't1', kind: 'send', content: 'Hi' });
    let turns = turnsReducer({}, { type: 'put', key: NEW_CHAT, turn });
    turns = turnsReducer(turns, { type: 'turn', key: NEW_CHAT, id: 't1', action: { type: 'event', event: started('c1') } });
    turns = turnsReducer(turns, { type: 'move', from: NEW_CHAT, to: 'c1', id: 't1' });
    expect(Object.keys(turns)).toEqual(['c1']);
    expect(turns.c1?.phase).toBe('streaming');
  });

  it('ignores the late events of a turn that another turn replaced', () => {
    const old = startTurn({ id: 'old', kind: 'send', content: 'First' });
    const current = startTurn({ id: 'new', kind: 'regenerate' });
    let turns = turnsReducer({}, { type: 'put', key: 'c1', turn: old });
    turns = turnsReducer(turns, { type: 'put', key: 'c1', turn: current });
    const after = turnsReducer(turns, { type: 'turn', key: 'c1', id: 'old', action: { type: 'text', text: 'late' } });
    expect(after).toBe(turns);
    expect(turnsReducer(turns, { type: 'clear', key: 'c1', id: 'old' })).toBe(turns);
    expect(turnsReducer(turns, { type: 'clear', key: 'c1', id: 'new' })).toEqual({});
  });
});
