import { useLocation, useRevalidator } from '@remix-run/react';
import type { FormEvent } from 'react';
import { useLanguage, useT } from '../i18n/i18n';
import { languageCookie } from '../i18n/language';
import { isLanguage, languageNames, languages, type Language } from '../i18n/messages';

/**
 * English / Türkçe. Without JavaScript the form posts to the app's `/language` action; with it,
 * the cookie is written here, `onChoose` saves the choice and the loaders re-run, so the page
 * switches in place.
 */
export function LanguageSwitcher({ action = '/language', onChoose }: { action?: string; onChoose?: (lang: Language) => Promise<void> }) {
  const t = useT();
  const current = useLanguage();
  const location = useLocation();
  const revalidator = useRevalidator();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    const chosen = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
    if (!isLanguage(chosen)) return;
    event.preventDefault();
    document.cookie = languageCookie(chosen);
    // Saved (on the account, when signed in) before the loaders re-run, so they see it.
    await onChoose?.(chosen).catch(() => undefined);
    revalidator.revalidate();
  };

  return (
    <form method="post" action={action} onSubmit={(event) => void onSubmit(event)} aria-label={t('language.label')}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <div className="flex rounded-lg bg-zinc-100 p-0.5 text-xs font-medium dark:bg-zinc-800/80">
        {languages.map((code) => (
          <button
            key={code}
            type="submit"
            name="lang"
            value={code}
            lang={code}
            aria-label={languageNames[code]}
            aria-pressed={code === current}
            className="rounded-md px-2 py-1 sm:px-2.5 text-zinc-600 transition-colors hover:text-zinc-900 aria-pressed:bg-white aria-pressed:text-zinc-900 aria-pressed:shadow-sm dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-white"
          >
            {/* The code on a phone, the name from `sm` up; the label always says the name. */}
            <span aria-hidden="true" className="sm:hidden">
              {code.toUpperCase()}
            </span>
            <span aria-hidden="true" className="hidden sm:inline">
              {languageNames[code]}
            </span>
          </button>
        ))}
      </div>
    </form>
  );
}
