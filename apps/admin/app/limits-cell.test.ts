import { describe, expect, it } from 'vitest';
import { formatLimit, parseLimit } from './limits-cell';

describe('a limit cell', () => {
  it('reads an empty cell as unlimited', () => {
    expect(parseLimit('', 'en')).toEqual({ ok: true, value: null });
    expect(parseLimit('   ', 'tr')).toEqual({ ok: true, value: null });
  });

  it('reads whole numbers with the language’s digit grouping', () => {
    expect(parseLimit('500', 'en')).toEqual({ ok: true, value: 500 });
    expect(parseLimit('1,000,000', 'en')).toEqual({ ok: true, value: 1_000_000 });
    expect(parseLimit('1.000.000', 'tr')).toEqual({ ok: true, value: 1_000_000 });
    expect(parseLimit('2 500', 'en')).toEqual({ ok: true, value: 2500 });
    expect(parseLimit('0', 'en')).toEqual({ ok: true, value: 0 });
  });

  it('multiplies by k, M and B', () => {
    expect(parseLimit('250k', 'en')).toEqual({ ok: true, value: 250_000 });
    expect(parseLimit('1.5M', 'en')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseLimit('1,5 m', 'tr')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseLimit('2B', 'en')).toEqual({ ok: true, value: 2_000_000_000 });
  });

  it('refuses what is not a whole, non-negative number within the API’s ceiling', () => {
    expect(parseLimit('lots', 'en')).toEqual({ ok: false, reason: 'notANumber' });
    expect(parseLimit('1.000.000', 'en')).toEqual({ ok: false, reason: 'notANumber' });
    expect(parseLimit('12.5', 'en')).toEqual({ ok: false, reason: 'notWhole' });
    expect(parseLimit('-3', 'en')).toEqual({ ok: false, reason: 'negative' });
    expect(parseLimit('20B', 'en')).toEqual({ ok: false, reason: 'tooLarge' });
  });

  it('shows a limit the way it reads it back', () => {
    expect(formatLimit(null, 'en')).toBe('');
    expect(formatLimit(1_000_000, 'en')).toBe('1,000,000');
    expect(formatLimit(1_000_000, 'tr')).toBe('1.000.000');
    for (const lang of ['en', 'tr'] as const)
      expect(parseLimit(formatLimit(123_456_789, lang), lang)).toEqual({ ok: true, value: 123_456_789 });
  });
});
