import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput, writePlain } from './transformer';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 8, 0, 0, ms));

/** Values a procedure may return: plain ones (written in one pass) first, then those left to superjson. */
const plain: Record<string, () => unknown> = {
  'a page of conversations': () => ({
    items: Array.from({ length: 3 }, (_, i) => ({ id: `c${i}`, title: `Chat ${i}`, group: null, pinned: i === 0, createdAt: at(i), updatedAt: at(i + 10) })),
    nextCursor: { updatedAt: at(99), id: 'c2' },
  }),
  'a page of messages with nested attachments and usage': () => ({
    items: [
      { id: 'm1', parentId: null, usage: null, versionIds: ['m1'], attachments: [{ id: 'a', createdAt: at(1), width: null }], createdAt: at(2) },
      { id: 'm2', parentId: 'm1', usage: { promptTokens: 1, completionTokens: 2, costMicros: 0 }, versionIds: [], attachments: [], createdAt: at(3) },
    ],
    nextCursor: null,
  }),
  'undefined in objects and arrays': () => ({ a: undefined, b: [1, undefined, 3], c: { d: undefined } }),
  'keys with dots and backslashes': () => ({ 'a.b': { 'c\\d': at(1), 'e.': [at(2)] }, '': at(3) }),
  'empty objects and arrays': () => ({ a: {}, b: [], c: [[], {}] }),
  'a null-prototype object': () => Object.assign(Object.create(null) as object, { a: at(1), b: 'x' }),
  'a Date at the root': () => at(5),
  'undefined at the root': () => undefined,
  'null, a string, a number, a boolean at the root': () => [null, 'x', 1.5, true],
};
const others: Record<string, () => unknown> = {
  'one Date in two places': () => {
    const shared = at(7);
    return { items: [{ updatedAt: shared }], nextCursor: { updatedAt: shared } };
  },
  'one object in two places': () => {
    const shared = { a: 1 };
    return [shared, { b: shared }];
  },
  'NaN, infinities and -0': () => ({ a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0 }),
  'a BigInt': () => ({ n: 12n }),
  'a Map and a Set': () => ({ m: new Map([['a', at(1)]]), s: new Set([1, 2]) }),
  'an invalid Date': () => ({ d: new Date(Number.NaN) }),
  'a class instance': () => ({ x: new (class Point { constructor(readonly x = 1) {} })() }),
  'an Error': () => ({ e: new Error('boom') }),
  'a RegExp and a URL': () => ({ r: /a.b/g, u: new URL('https://example.org/x') }),
  'a function and a symbol': () => ({ f: () => 1, s: Symbol('s') }),
  'a sparse array': () => ({ a: [1, , 3] }), // eslint-disable-line no-sparse-arrays
  'a circular object': () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    return node;
  },
};

describe('serializeOutput', () => {
  it.each(Object.entries(plain))('writes %s in one pass, exactly as superjson does', (_, make) => {
    const value = make();
    const ours = writePlain(value);
    const theirs = superjson.serialize(value);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ours).toStrictEqual(theirs);
  });

  it.each(Object.entries(others))('leaves %s to superjson', (_, make) => {
    const value = make();
    expect(writePlain(value)).toBeNull();
    expect(JSON.stringify(serializeOutput(value))).toBe(JSON.stringify(superjson.serialize(value)));
  });

  it('round-trips through superjson on the client side', () => {
    const value = plain['a page of messages with nested attachments and usage']!();
    expect(superjson.deserialize(JSON.parse(JSON.stringify(serializeOutput(value))))).toEqual(value);
    const keys = plain['keys with dots and backslashes']!();
    expect(superjson.deserialize(JSON.parse(JSON.stringify(serializeOutput(keys))))).toEqual(keys);
  });

  it("refuses what superjson refuses: a key that would pollute a client's prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    expect(() => serializeOutput(value)).toThrow(/prototype pollution/);
  });
});
