import { describe, expect, it } from 'vitest';
import { formatBytes, parseQuotaMb, quotaMb } from './quota-form';

describe('storage quota fields', () => {
  it('reads megabytes as whole bytes, empty as no quota, and refuses the rest', () => {
    expect(parseQuotaMb('')).toEqual({ ok: true, bytes: null });
    expect(parseQuotaMb(' 100 ')).toEqual({ ok: true, bytes: 100 * 1024 * 1024 });
    expect(parseQuotaMb('0,5')).toEqual({ ok: true, bytes: 512 * 1024 });
    expect(parseQuotaMb('0')).toEqual({ ok: true, bytes: 0 });
    expect(parseQuotaMb('-1')).toEqual({ ok: false });
    expect(parseQuotaMb('lots')).toEqual({ ok: false });
    expect(parseQuotaMb(String(2 ** 40))).toEqual({ ok: false });
  });

  it('shows a quota back in megabytes and sizes as people read them', () => {
    expect(quotaMb(null)).toBe('');
    expect(quotaMb(512 * 1024)).toBe('0.5');
    expect(formatBytes(1536 * 1024, 'en')).toBe('1.5 MB');
    expect(formatBytes(1536 * 1024, 'tr')).toBe('1,5 MB');
    expect(formatBytes(300, 'en')).toBe('300 B');
  });
});
