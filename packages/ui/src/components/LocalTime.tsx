import { useCallback, useSyncExternalStore } from 'react';
import { useLanguage } from '../i18n/i18n';
import type { Language } from '../i18n/messages';

const locales: Record<Language, string> = { en: 'en-GB', tr: 'tr-TR' };
const noop = () => () => {};

/** False on the server and while hydrating, true once the page runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/**
 * Formats instants in the reader's own time zone once the page runs in the browser. The server
 * cannot know that zone, so its HTML (and the page without JavaScript) uses UTC, labelled as
 * such; hydration renders the same text first, so nothing mismatches.
 */
export function useFormatDateTime(): (value: Date, options?: { dateOnly?: boolean; timeOnly?: boolean }) => string {
  const lang = useLanguage();
  const hydrated = useHydrated();
  return useCallback(
    (value, { dateOnly = false, timeOnly = false } = {}) => {
      const text = new Intl.DateTimeFormat(locales[lang], {
        ...(timeOnly ? {} : { dateStyle: 'medium' }),
        ...(dateOnly ? {} : { timeStyle: 'short' }),
        ...(hydrated ? {} : { timeZone: 'UTC' }),
      }).format(value);
      return hydrated || dateOnly ? text : `${text} UTC`;
    },
    [lang, hydrated],
  );
}

/** An instant in a <time> element, in the reader's time zone (see `useFormatDateTime`). */
export function LocalTime({ value, dateOnly = false, className }: { value: Date; dateOnly?: boolean; className?: string }) {
  const format = useFormatDateTime();
  return (
    <time dateTime={value.toISOString()} className={className}>
      {format(value, { dateOnly })}
    </time>
  );
}
