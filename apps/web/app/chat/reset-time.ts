import type { Language } from '@atrium/ui';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long until a limit resets, in the one unit a person would use. */
export type Countdown = { unit: 'soon' | 'minutes' | 'hours' | 'days'; count: number };

export function countdown(resetsAt: Date, now: Date): Countdown {
  const left = resetsAt.getTime() - now.getTime();
  if (left < MINUTE) return { unit: 'soon', count: 0 };
  if (left < HOUR) return { unit: 'minutes', count: Math.ceil(left / MINUTE) };
  if (left < 2 * DAY) return { unit: 'hours', count: Math.max(1, Math.round(left / HOUR)) };
  return { unit: 'days', count: Math.round(left / DAY) };
}

/**
 * When a limit resets, in the reader's language and time zone: the time alone when it is within
 * a day ("00:00"), else the date too ("1 Dec, 00:00").
 */
export function resetClock(resetsAt: Date, now: Date, lang: Language, timeZone?: string): string {
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  const options: Intl.DateTimeFormatOptions =
    resetsAt.getTime() - now.getTime() < DAY ? time : { ...time, day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(lang, { ...options, ...(timeZone ? { timeZone } : {}) }).format(resetsAt);
}

export const formatNumber = (value: number, lang: Language) => new Intl.NumberFormat(lang).format(value);

/** Large token counts the short way: 12.3k, 2M. */
export const formatCompact = (value: number, lang: Language) =>
  new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
