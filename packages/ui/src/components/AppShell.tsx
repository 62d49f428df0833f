import { Link } from '@remix-run/react';
import { useEffect, type ReactNode } from 'react';
import { useT } from '../i18n/i18n';
import type { Language } from '../i18n/messages';
import type { Theme } from '../i18n/theme';
import { LanguageSwitcher } from './LanguageSwitcher';
import { ThemeSwitcher } from './ThemeSwitcher';
import { Logo } from './Logo';

export type AppShellProps = {
  /** The product name, as the identity settings call it (from the root loader). */
  product: string;
  /** A small tag after the name, such as "Admin". */
  tag?: ReactNode;
  /** The app's navigation links. */
  nav?: ReactNode;
  /** Extra controls at the end of the header, before the language switcher. */
  actions?: ReactNode;
  /** Content width: `wide` for dashboards. */
  width?: 'default' | 'wide';
  /** An app-like page (chat): it fills the window under a full-width header, without the footer. */
  fill?: boolean;
  /** The theme in use (from the root loader); the header's switcher moves to the next. */
  theme?: Theme;
  /** Saves a switched language or theme beyond this browser (on the signed-in account). */
  onChoose?: { language?: (lang: Language) => Promise<void>; theme?: (theme: Theme) => Promise<void> };
  children: ReactNode;
};

/** Header, skip link, main landmark and footer, the same in both apps. */
export function AppShell({ product, tag, nav, actions, width = 'default', fill = false, theme = 'system', onChoose, children }: AppShellProps) {
  const t = useT();
  // Marks the page as running: styles and the browser tests can tell it from the server's HTML.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  const container = `mx-auto w-full px-4 sm:px-6 lg:px-8 ${fill ? '' : width === 'wide' ? 'max-w-7xl' : 'max-w-6xl'}`;
  return (
    <div className={fill ? 'flex h-dvh flex-col' : 'flex min-h-dvh flex-col'}>
      <a
        href="#main"
        className="sr-only rounded-md bg-accent-600 px-4 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
      >
        {t('shell.skipToContent')}
      </a>
      <header className="sticky top-0 z-40 border-b border-zinc-200/80 bg-white/80 backdrop-blur dark:border-zinc-800/80 dark:bg-zinc-950/80">
        {/* At phone width everything shares one row: the name gives way (truncates) before the switchers do. */}
        <div className={`${container} flex h-16 items-center gap-3 sm:gap-6`}>
          <Link to="/" className="flex min-w-0 items-center gap-2.5 rounded-md" aria-label={t('shell.home', { product })}>
            <Logo className="size-8 shrink-0" />
            <span className="truncate text-base font-semibold tracking-tight" data-testid="product-name">
              {product}
            </span>
            {tag}
          </Link>
          {nav ? (
            <nav aria-label={t('shell.primaryNav')} className="hidden items-center gap-1 text-sm sm:flex">
              {nav}
            </nav>
          ) : null}
          <div className="ml-auto flex shrink-0 items-center gap-1.5 sm:gap-3">
            {actions}
            <ThemeSwitcher theme={theme} {...(onChoose?.theme ? { onChoose: onChoose.theme } : {})} />
            <LanguageSwitcher {...(onChoose?.language ? { onChoose: onChoose.language } : {})} />
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className={fill ? 'flex min-h-0 flex-1 flex-col focus:outline-none' : 'flex-1 focus:outline-none'}
      >
        {children}
      </main>
      {fill ? null : (
        <footer className="border-t border-zinc-200/80 dark:border-zinc-800/80">
          <div
            className={`${container} flex flex-col gap-2 py-6 text-sm text-zinc-500 sm:flex-row sm:items-center sm:justify-between dark:text-zinc-400`}
          >
            <p>{t('shell.footer', { product })}</p>
            <p>
              © {new Date().getFullYear()} {product}
            </p>
          </div>
        </footer>
      )}
    </div>
  );
}

/** A header navigation link; `current` marks the page the visitor is on. */
export function NavItem({ to, current, children }: { to: string; current?: boolean; children: ReactNode }) {
  return (
    <Link
      to={to}
      aria-current={current ? 'page' : undefined}
      className="rounded-md px-3 py-2 font-medium text-zinc-600 transition-colors hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-[current=page]:text-white"
    >
      {children}
    </Link>
  );
}
