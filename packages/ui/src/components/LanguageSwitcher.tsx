import { useLocation, useRevalidator } from '@remix-run/react';
import type { FormEvent } from 'react';
import { useLanguage, useT } from '../i18n/i18n';
import { languageCookie } from '../i18n/language';
import { isLanguage, languageNames, languages } from '../i18n/messages';

/**
 * English / Türkçe. Without JavaScript the form posts to the app's `/language` action; with it,
 * the cookie is written here and the loaders re-run, so the page switches in place.
 */
export function LanguageSwitcher({ action = '/language' }: { action?: string }) {
  const t = useT();
  const current = useLanguage();
  const location = useLocation();
  const revalidator = useRevalidator();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const chosen = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
    if (!isLanguage(chosen)) return;
    event.preventDefault();
    document.cookie = languageCookie(chosen);
    revalidator.revalidate();
  };

  return (
    <form method="post" action={action} onSubmit={onSubmit} aria-label={t('language.label')}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <div className="flex rounded-lg bg-zinc-100 p-0.5 text-xs font-medium dark:bg-zinc-800/80">
        {languages.map((code) => (
          <button
            key={code}
            type="submit"
            name="lang"
            value={code}
            lang={code}
            aria-pressed={code === current}
            className="rounded-md px-2.5 py-1 text-zinc-600 transition-colors hover:text-zinc-900 aria-pressed:bg-white aria-pressed:text-zinc-900 aria-pressed:shadow-sm dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-white"
          >
            {languageNames[code]}
          </button>
        ))}
      </div>
    </form>
  );
}
