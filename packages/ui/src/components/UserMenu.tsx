import { Form, Link, useLocation } from '@remix-run/react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/i18n';

export type UserMenuUser = { displayName: string; username: string; role: 'student' | 'staff' | 'admin' };

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toLocaleUpperCase())
    .join('') || '?';

/**
 * The signed-in user's name in the header, opening a small menu: the app's account links and
 * "Sign out" (a POST form, so it works without JavaScript). Built on <details>, which keyboards
 * and screen readers already know; Escape and a click elsewhere close it.
 */
export function UserMenu({
  user,
  links = [],
  signOutAction = '/logout',
}: {
  user: UserMenuUser;
  links?: { to: string; label: ReactNode }[];
  signOutAction?: string;
}) {
  const t = useT();
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // A followed link closes the menu.
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.key]);

  useEffect(() => {
    const close = (event: Event) => {
      const details = ref.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        details.open = false;
        details.querySelector('summary')?.focus();
      } else if (!details.contains(event.target as Node)) {
        details.open = false;
      }
    };
    document.addEventListener('keydown', close);
    document.addEventListener('click', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('click', close);
    };
  }, []);

  const item =
    'flex w-full items-center rounded-lg px-3 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white';
  return (
    <details ref={ref} className="group relative" data-testid="user-menu">
      <summary
        aria-label={t('account.menu', { name: user.displayName })}
        className="flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
      >
        <span
          aria-hidden="true"
          className="flex size-7 items-center justify-center rounded-full bg-accent-100 text-xs font-semibold text-accent-700 dark:bg-accent-900 dark:text-accent-200"
        >
          {initials(user.displayName)}
        </span>
        <span className="hidden max-w-40 truncate md:block" data-testid="user-name">
          {user.displayName}
        </span>
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4 text-zinc-400 transition-transform group-open:rotate-180" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4z" />
        </svg>
      </summary>
      <div className="absolute right-0 z-50 mt-2 w-64 rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg shadow-zinc-900/10 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-black/40">
        <div className="border-b border-zinc-100 px-3 pt-2 pb-3 dark:border-zinc-800">
          <p className="truncate text-sm font-semibold">{user.displayName}</p>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
            {user.username} · {t(`roles.${user.role}`)}
          </p>
        </div>
        {links.length ? (
          <ul className="border-b border-zinc-100 py-1 dark:border-zinc-800">
            {links.map((link) => (
              <li key={link.to}>
                <Link to={link.to} className={item}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" action={signOutAction} className="pt-1">
          <button type="submit" className={item}>
            {t('account.signOut')}
          </button>
        </Form>
      </div>
    </details>
  );
}
