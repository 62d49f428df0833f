import { describe, expect, it } from 'vitest';
import { codePointLength, fitText, truncateText } from './text';

describe('grapheme-safe truncation', () => {
  it('never splits an emoji: 29 party poppers cut to 20 end in whole emoji and an ellipsis', () => {
    const cut = truncateText('🎉'.repeat(29), 20);
    expect(cut).toBe(`${'🎉'.repeat(19)}…`);
    expect(cut).not.toContain('\uFFFD');
    expect(cut.isWellFormed()).toBe(true);
  });

  it('keeps a combining sequence, a flag and a family emoji whole or drops them whole', () => {
    expect(truncateText('abcde\u0301f', 6)).toBe('abcd…'); // "é" is two code points: it would not fit
    expect(truncateText('ab🇹🇷🇹🇷', 5)).toBe('ab🇹🇷…');
    const family = '👨‍👩‍👧';
    expect(truncateText(`x${family}`, 4)).toBe('x…');
  });

  it('leaves text that fits alone, counting code points like varchar(n)', () => {
    expect(truncateText('Merhaba dünya', 13)).toBe('Merhaba dünya');
    expect(codePointLength('🎉ş')).toBe(2);
  });

  it('fits Turkish directory values into a column with no ellipsis', () => {
    const name = 'Çağrı Şükrü Öztürk '.repeat(20).trim();
    const fitted = fitText(name, 255);
    expect(codePointLength(fitted)).toBeLessThanOrEqual(255);
    expect(name.startsWith(fitted)).toBe(true);
  });
});
