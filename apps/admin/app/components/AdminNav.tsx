import { NavLink } from '@remix-run/react';
import { useT } from '@atrium/ui';
import { useAdminT } from '../i18n';

type Section = 'overview' | 'users' | 'invites' | 'models' | 'presets' | 'limits' | 'identity' | 'analytics' | 'feedback' | 'summaries' | 'cache' | 'jobs' | 'retention' | 'apiKeys' | 'settings';
const sections: { id: Section; to?: string; icon: string }[] = [
  { id: 'overview', to: '/', icon: 'M3 10.5 10 4l7 6.5V17a1 1 0 0 1-1 1h-4v-5H8v5H4a1 1 0 0 1-1-1z' },
  { id: 'users', to: '/users', icon: 'M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 8a5 5 0 0 1 10 0M13 4a3 3 0 0 1 0 5m2 8a5 5 0 0 0-2.5-4.3' },
  { id: 'invites', to: '/invites', icon: 'M3 5h14v10H3zm0 0 7 6 7-6' },
  { id: 'models', to: '/models', icon: 'M10 2l7 4v8l-7 4-7-4V6zm0 0v16M17 6l-7 4-7-4' },
  { id: 'presets', to: '/presets', icon: 'M4 3h9l3 3v11H4zm3 5h6m-6 3h6m-6 3h4' },
  { id: 'limits', to: '/limits', icon: 'M3 14a7 7 0 1 1 14 0M10 14l3.5-4.5M3 17h14' },
  { id: 'identity', to: '/identity', icon: 'M10 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5.5 7a5.5 5.5 0 0 1 11 0M15 3l.7 1.3L17 5l-1.3.7L15 7l-.7-1.3L13 5l1.3-.7z' },
  { id: 'analytics', to: '/analytics', icon: 'M3 17h14M6 14V9m4 5V5m4 9v-3' },
  { id: 'feedback', to: '/feedback', icon: 'M6 9v8H3V9zm0 0 3-6a2 2 0 0 1 2 2v3h4.5a1.5 1.5 0 0 1 1.5 1.8l-1.2 6A1.5 1.5 0 0 1 14.3 17H6' },
  { id: 'summaries', to: '/summaries', icon: 'M4 4h12M4 8h12M4 12h7m-7 4h5m6-3 2 2-2 2' },
  { id: 'cache', to: '/cache', icon: 'M10 3c3.9 0 7 1.1 7 2.5S13.9 8 10 8 3 6.9 3 5.5 6.1 3 10 3zM3 5.5v9C3 15.9 6.1 17 10 17s7-1.1 7-2.5v-9M3 10c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5' },
  { id: 'jobs', to: '/jobs', icon: 'M4 5h12M4 10h12M4 15h7m4-1.5 1.5 1.5 3-3' },
  { id: 'retention', to: '/retention', icon: 'M10 3a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm0 3v4l2.5 2.5' },
  { id: 'settings', to: '/settings', icon: 'M10 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM10 2.5v2m0 11v2M2.5 10h2m11 0h2M4.7 4.7l1.4 1.4m7.8 7.8 1.4 1.4M4.7 15.3l1.4-1.4m7.8-7.8 1.4-1.4' },
  { id: 'apiKeys', to: '/api-keys', icon: 'M12.5 3a4.5 4.5 0 1 1-3.9 6.7L3 15.3V17h3v-2h2v-2h1.7l.6-.6A4.5 4.5 0 0 1 12.5 3zm1.5 3.5h.01' },
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
                  end={to === '/'}
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
