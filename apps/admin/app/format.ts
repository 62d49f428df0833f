import type { Language } from '@atrium/ui';

/**
 * Numbers, money and dates as the admin pages show them. Pure functions of the language, so the
 * server's HTML and the hydrated page print the same text.
 */
export const locales: Record<Language, string> = { en: 'en-GB', tr: 'tr-TR' };

/**
 * Providers price in US dollars; the catalogue's prices and the ledger's costs are in that
 * currency (costs in millionths of a dollar).
 */
export const CURRENCY = 'USD';

export function formatNumber(value: number, lang: Language): string {
  return new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 2 }).format(value);
}

/** 1.2K, 3.4M: for chart axes and busy cards. */
export function formatCompact(value: number, lang: Language): string {
  return new Intl.NumberFormat(locales[lang], { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/**
 * A cost held in micros. Cents are enough for anything above a dollar; smaller sums (a single
 * request on a cheap model) keep up to four decimals so they do not all read "$0.00".
 */
export function formatCost(micros: number, lang: Language): string {
  const amount = micros / 1_000_000;
  const small = amount !== 0 && Math.abs(amount) < 1;
  return new Intl.NumberFormat(locales[lang], {
    style: 'currency',
    currency: CURRENCY,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 4 : 2,
  }).format(amount);
}

/** A price per million tokens, as the provider lists it. */
export function formatPrice(perMillionTokens: number, lang: Language): string {
  return new Intl.NumberFormat(locales[lang], {
    style: 'currency',
    currency: CURRENCY,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(perMillionTokens);
}

/** A share (0..1) as a percentage; null (nothing to divide) as a dash. */
export function formatPercent(ratio: number | null, lang: Language): string {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  return new Intl.NumberFormat(locales[lang], { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** A YYYY-MM-DD day, short ("23 Nov" / "23 Kas"); `withYear` adds the year. */
export function formatDay(day: string, lang: Language, withYear = false): string {
  return new Intl.DateTimeFormat(locales[lang], {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** An instant, in the accounting time zone so every admin reads the same clock. */
export function formatDateTime(instant: Date, lang: Language, timeZone = 'Europe/Istanbul'): string {
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}
