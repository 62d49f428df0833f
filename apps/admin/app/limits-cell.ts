import type { Language } from '@atrium/ui';
import { locales } from './format';

/** What an admin typed in a limit cell: a whole number, nothing (unlimited), or a mistake. */
export type LimitInput =
  { ok: true; value: number | null } | { ok: false; reason: 'notANumber' | 'notWhole' | 'negative' | 'tooLarge' };

/** The API's ceiling for a limit. */
export const MAX_LIMIT = 10_000_000_000;

const SUFFIXES: Record<string, number> = { k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/**
 * Parses a cell. Empty means unlimited. Digit grouping follows the language (English "1,000",
 * Turkish "1.000"; spaces always), and k / M / B multiply, so "250k" is 250,000 tokens.
 */
export function parseLimit(text: string, lang: Language): LimitInput {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const group = lang === 'tr' ? '.' : ',';
  const decimal = lang === 'tr' ? ',' : '.';
  const match = /^(-?[\d\s.,]+?)\s*([kmb])?$/i.exec(trimmed);
  if (!match || !/\d/.test(match[1]!)) return { ok: false, reason: 'notANumber' };
  const digits = match[1]!.replace(/\s/g, '').split(group).join('').replace(decimal, '.');
  if (!/^-?\d+(\.\d+)?$/.test(digits)) return { ok: false, reason: 'notANumber' };
  const value = Number(digits) * (match[2] ? SUFFIXES[match[2].toLowerCase()]! : 1);
  if (value < 0) return { ok: false, reason: 'negative' };
  if (!Number.isInteger(value)) return { ok: false, reason: 'notWhole' };
  if (value > MAX_LIMIT) return { ok: false, reason: 'tooLarge' };
  return { ok: true, value };
}

/** A limit as the cell shows it: grouped digits, or empty for unlimited. */
export function formatLimit(value: number | null, lang: Language): string {
  return value === null ? '' : new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 0 }).format(value);
}
