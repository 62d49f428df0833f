import { afterEach, describe, expect, it, vi } from 'vitest';
import { KnownReads } from './known-reads';

const read = (text = 'short', params: unknown[] = ['c', 'u']) => ({ sql: 'select 1', params, row: { atrium_branch: text }, fingerprint: 'f' });

describe('KnownReads', () => {
  afterEach(() => vi.useRealTimers());

  it('gives a kept read once, and only to the same statement with the same values', () => {
    const reads = new KnownReads();
    reads.keep('c1', read());
    expect(reads.take('c1', 'select 2', ['c', 'u'])).toBeNull();
    reads.keep('c1', read());
    expect(reads.take('c1', 'select 1', ['c', 'someone else'])).toBeNull();
    reads.keep('c1', read());
    expect(reads.take('c1', 'select 1', ['c', 'u'])).toMatchObject({ fingerprint: 'f', row: { atrium_branch: 'short' } });
    expect(reads.take('c1', 'select 1', ['c', 'u'])).toBeNull();
    expect(reads.size).toBe(0);
  });

  it('lets the oldest go beyond its bounds of entries and text, and gives none that is too old', () => {
    vi.useFakeTimers();
    const reads = new KnownReads({ entries: 2, bytes: 10_000, ageMs: 60_000 });
    for (const id of ['a', 'b', 'c']) reads.keep(id, read());
    expect(reads.size).toBe(2);
    expect(reads.take('a', 'select 1', ['c', 'u'])).toBeNull();

    // Over the entries, then over the text: both others go.
    reads.keep('long', read('x'.repeat(4_800)));
    expect(reads.size).toBe(1);
    expect(reads.take('b', 'select 1', ['c', 'u'])).toBeNull();
    reads.keep('too long', read('x'.repeat(6_000)));
    expect(reads.take('too long', 'select 1', ['c', 'u'])).toBeNull();

    reads.keep('d', read());
    vi.advanceTimersByTime(60_001);
    expect(reads.take('d', 'select 1', ['c', 'u'])).toBeNull();
  });
});
