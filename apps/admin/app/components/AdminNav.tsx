import { NavLink } from '@remix-run/react';
import { useT } from '@atrium/ui';
import { useAdminT } from '../i18n';

type Section = 'overview' | 'users' | 'invites' | 'models' | 'analytics' | 'settings';
const sections: { id: Section; to?: string; icon: string }[] = [
  { id: 'overview', to: '/', icon: 'M3 10.5 10 4l7 6.5V17a1 1 0 0 1-1 1h-4v-5H8v5H4a1 1 0 0 1-1-1z' },
  { id: 'users', icon: 'M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 8a5 5 0 0 1 10 0M13 4a3 3 0 0 1 0 5m2 8a5 5 0 0 0-2.5-4.3' },
  { id: 'invites', icon: 'M3 5h14v10H3zm0 0 7 6 7-6' },
  { id: 'models', icon: 'M10 2l7 4v8l-7 4-7-4V6zm0 0v16M17 6l-7 4-7-4' },
  { id: 'analytics', icon: 'M3 17h14M6 14V9m4 5V5m4 9v-3' },
  { id: 'settings', icon: 'M10 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM10 2v2m0 12v2m8-8h-2M4 10H2m13.7-5.7-1.4 1.4M5.7 14.3l-1.4 1.4m11.4 0-1.4-1.4M5.7 5.7 4.3 4.3' },
];

const item = 'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium';

/** The admin sections; the ones not built yet are shown, marked "Soon", but not linked. */
export function AdminNav() {
  const t = useAdminT();
  const common = useT();
  return (
    <nav aria-label={t('admin.sections.label')}>
      <ul className="flex gap-1 overflow-x-auto lg:flex-col">
        {sections.map(({ id, to, icon }) => {
          const content = (
            <>
              <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
                <path d={icon} />
              </svg>
              <span className="whitespace-nowrap">{t(`admin.sections.${id}`)}</span>
            </>
          );
          return (
            <li key={id}>
              {to ? (
                <NavLink
                  to={to}
                  end
                  className={({ isActive }) =>
                    `${item} ${isActive ? 'bg-accent-50 text-accent-700 dark:bg-accent-950 dark:text-accent-300' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'}`
                  }
                >
                  {content}
                </NavLink>
              ) : (
                <span aria-disabled="true" className={`${item} cursor-not-allowed text-zinc-400 dark:text-zinc-500`}>
                  {content}
                  <span className="ml-auto rounded-full bg-zinc-100 px-2 py-0.5 text-[0.6875rem] font-medium text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
                    {common('shell.soon')}
                  </span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
