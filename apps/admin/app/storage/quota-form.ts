import type { Language } from '@atrium/ui';
import { locales } from '../format';

const MiB = 1024 * 1024;
/** The API's ceiling for a quota (a pebibyte), in the form's unit. */
const MAX_MB = 2 ** 50 / MiB;

/**
 * A storage quota typed in megabytes (MiB): empty means "no limit" (a role) or "the role's" (a
 * user); anything else must be a number from 0 up, and becomes whole bytes for the API.
 */
export function parseQuotaMb(value: FormDataEntryValue | null): { ok: true; bytes: number | null } | { ok: false } {
  const text = typeof value === 'string' ? value.trim().replace(',', '.') : '';
  if (text === '') return { ok: true, bytes: null };
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb < 0 || mb > MAX_MB) return { ok: false };
  return { ok: true, bytes: Math.round(mb * MiB) };
}

/** A quota in the form's unit, for an input's default value. */
export const quotaMb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '' : String(Math.round((bytes / MiB) * 100) / 100));

/** Bytes as people read them: 512 KB, 1.5 MB, 2 GB. */
export function formatBytes(bytes: number, lang: Language): string {
  const number = (value: number) => new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 1 }).format(value);
  if (bytes < 1024) return `${number(bytes)} B`;
  if (bytes < MiB) return `${number(bytes / 1024)} KB`;
  if (bytes < 1024 * MiB) return `${number(bytes / MiB)} MB`;
  return `${number(bytes / 1024 / MiB)} GB`;
}
