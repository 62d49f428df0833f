import { describe, expect, it } from 'vitest';
import { formatCompact, formatCost, formatDay, formatNumber, formatPercent, formatPrice } from './format';

// Intl may use narrow or regular no-break spaces; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers and money', () => {
  it('groups digits the way each language does', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'tr')).toBe('1.234.567');
    expect(formatCompact(1_250_000, 'en')).toBe('1.3m');
  });

  it('prints costs held in micros as dollars, keeping small sums visible', () => {
    expect(formatCost(12_345_678, 'en')).toBe('$12.35');
    expect(formatCost(1_234, 'en')).toBe('$0.0012');
    expect(formatCost(0, 'en')).toBe('$0.00');
    expect(plain(formatCost(12_345_678, 'tr'))).toBe('$12,35');
  });

  it('prints prices per million tokens with up to six decimals', () => {
    expect(formatPrice(0.59, 'en')).toBe('$0.59');
    expect(formatPrice(0.075, 'en')).toBe('$0.075');
  });

  it('prints a ratio as a percentage, and nothing to divide as a dash', () => {
    expect(formatPercent(0.875, 'en')).toBe('87.5%');
    expect(plain(formatPercent(0.5, 'tr'))).toBe('%50');
    expect(formatPercent(null, 'en')).toBe('–');
  });

  it('prints a calendar day without shifting it by the time zone', () => {
    expect(formatDay('2026-11-23', 'en')).toBe('23 Nov');
    expect(formatDay('2026-11-23', 'tr', true)).toBe('23 Kas 2026');
  });
});
