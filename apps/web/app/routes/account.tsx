import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireUser } from '../auth.server';
import { clientLoaderWithStrings, useWebT } from '../i18n';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  return { displayName: user.displayName, username: user.username };
}

const tab = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap border-b-2 px-1 pb-3 text-sm font-medium transition-colors ${
    isActive
      ? 'border-accent-600 text-accent-700 dark:border-accent-400 dark:text-accent-300'
      : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100'
  }`;

/** The page's strings (`pageStringGroups`) arrive with its data on a navigation. */
export const clientLoader = clientLoaderWithStrings;

/** The account pages: a heading, the tabs, and the page. */
export default function Account() {
  const t = useWebT();
  const { displayName, username } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-10 sm:px-6 lg:px-8">
      <p className="text-sm font-medium text-accent-700 dark:text-accent-300">{t('web.account.title')}</p>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        {displayName} · {username}
      </p>
      <nav aria-label={t('web.account.tabsLabel')} className="mt-6 border-b border-zinc-200 dark:border-zinc-800">
        <ul className="-mb-px flex gap-6 overflow-x-auto">
          <li>
            <NavLink to="/account/sessions" className={tab}>
              {t('web.menu.sessions')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/password" className={tab}>
              {t('web.menu.password')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/usage" className={tab}>
              {t('web.usage.menu')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/memory" className={tab}>
              {t('web.menu.memory')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/api-keys" className={tab}>
              {t('web.apiKeys.menu')}
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/data" className={tab}>
              {t('web.data.menu')}
            </NavLink>
          </li>
        </ul>
      </nav>
      <div className="mt-8">
        <Outlet />
      </div>
    </div>
  );
}
