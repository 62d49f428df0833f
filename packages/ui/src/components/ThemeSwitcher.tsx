import { useLocation, useRevalidator } from '@remix-run/react';
import type { FormEvent } from 'react';
import { useT } from '../i18n/i18n';
import { isTheme, nextTheme, themeCookie, type Theme } from '../i18n/theme';

const icons: Record<Theme, string> = {
  system: 'M3.5 4.5h13v9h-13zM7.5 16.5h5M10 13.5v3',
  light: 'M10 6.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM10 2.5v1.5m0 12v1.5M2.5 10H4m12 0h1.5M4.7 4.7l1 1m8.6 8.6 1 1M4.7 15.3l1-1m8.6-8.6 1-1',
  dark: 'M15.5 12.5A6.5 6.5 0 0 1 7.5 4.5a6.5 6.5 0 1 0 8 8z',
};

/**
 * System → light → dark. Without JavaScript the form posts to the app's `/theme` action; with it,
 * the page changes at once, `onChoose` saves the choice (on the account, when signed in) and the
 * loaders re-run.
 */
export function ThemeSwitcher({ theme, action = '/theme', onChoose }: { theme: Theme; action?: string; onChoose?: (theme: Theme) => Promise<void> }) {
  const t = useT();
  const location = useLocation();
  const revalidator = useRevalidator();
  const next = nextTheme(theme);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    const chosen = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
    if (!isTheme(chosen)) return;
    event.preventDefault();
    document.documentElement.dataset.theme = chosen;
    document.cookie = themeCookie(chosen);
    await onChoose?.(chosen).catch(() => undefined);
    revalidator.revalidate();
  };

  return (
    <form method="post" action={action} onSubmit={(event) => void onSubmit(event)}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button
        type="submit"
        name="theme"
        value={next}
        data-theme-current={theme}
        aria-label={t('theme.switch', { current: t(`theme.${theme}`), next: t(`theme.${next}`) })}
        title={t('theme.switch', { current: t(`theme.${theme}`), next: t(`theme.${next}`) })}
        className="rounded-lg p-1.5 text-zinc-600 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
          <path d={icons[theme]} />
        </svg>
      </button>
    </form>
  );
}
