import { buttonClass, Notice, SelectField, TextField, useLanguage } from '@atrium/ui';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireAdmin } from '../auth.server';
import { RoleBadge, SourceLabel, StatusBadge } from '../components/access/UserBadges';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { ROLES, usersQuery } from '../users/search-params';

export const meta = pageMeta('access.users.metaTitle');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const query = usersQuery(new URL(request.url).searchParams);
  const { items, total } = await context.trpc.users.search(query.input);
  return { users: items, total, offset: query.input.offset, limit: query.input.limit, page: query.page };
}

export default function Users() {
  const t = useAdminT();
  const lang = useLanguage();
  const { users, total, offset, limit, page } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const deleted = params.get('deleted');
  const filtered = Boolean(params.get('q') || params.get('role') || params.get('status'));

  const pageLink = (to: number) => {
    const next = new URLSearchParams(params);
    next.delete('deleted');
    if (to > 1) next.set('page', String(to));
    else next.delete('page');
    const query = next.toString();
    return query ? `/users?${query}` : '/users';
  };
  const th = 'px-4 py-3 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400';
  const td = 'px-4 py-3 text-sm whitespace-nowrap';

  return (
    <div className="space-y-6">
      <PageHeader title={t('access.users.title')} lead={t('access.users.lead')} />
      {deleted ? (
        <Notice tone="success" focusKey={deleted}>
          {t('access.users.deleted', { username: deleted })}
        </Notice>
      ) : null}

      <Form method="get" role="search" className="grid gap-4 rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,1fr)_11rem_11rem_auto] sm:items-end dark:border-zinc-800 dark:bg-zinc-900">
        <TextField
          label={t('access.users.search')}
          name="q"
          type="search"
          placeholder={t('access.users.searchPlaceholder')}
          defaultValue={params.get('q') ?? ''}
        />
        <SelectField label={t('access.roles.label')} name="role" defaultValue={params.get('role') ?? ''}>
          <option value="">{t('access.roles.any')}</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('access.users.status')} name="status" defaultValue={params.get('status') ?? ''}>
          <option value="">{t('access.users.anyStatus')}</option>
          <option value="active">{t('access.status.active')}</option>
          <option value="banned">{t('access.status.banned')}</option>
        </SelectField>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass('primary')}>
            {t('access.users.filter')}
          </button>
          {filtered ? (
            <Link to="/users" className={buttonClass('ghost')}>
              {t('access.users.clear')}
            </Link>
          ) : null}
        </div>
      </Form>

      <section aria-labelledby="users-results" className="overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="users-results" className="sr-only">
          {t('access.users.results')}
        </h2>
        {users.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">{t('access.users.empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
              <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                <tr>
                  <th scope="col" className={th}>
                    {t('access.users.columns.username')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.name')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.email')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.role')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.source')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.status')}
                  </th>
                  <th scope="col" className={th}>
                    {t('access.users.columns.lastLogin')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {users.map((user) => (
                  <tr key={user.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                    <td className={td}>
                      <Link to={`/users/${user.id}`} className="font-medium text-accent-700 hover:underline dark:text-accent-300">
                        {user.username}
                      </Link>
                    </td>
                    <td className={td}>{user.displayName}</td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{user.email ?? t('access.users.noEmail')}</td>
                    <td className={td}>
                      <RoleBadge role={user.role} />
                    </td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                      <SourceLabel source={user.authSource} />
                    </td>
                    <td className={td}>
                      <StatusBadge banned={user.isBanned} />
                    </td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                      {user.lastLoginAt ? (
                        <time dateTime={user.lastLoginAt.toISOString()}>{formatDateTime(user.lastLoginAt, lang)}</time>
                      ) : (
                        t('access.users.never')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {total > 0 ? (
          <nav aria-label={t('access.users.pagination')} className="flex items-center justify-between gap-4 border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
            <p className="text-zinc-600 dark:text-zinc-400">
              {t('access.users.showing', { from: offset + 1, to: Math.min(offset + limit, total), total })}
            </p>
            <div className="flex gap-2">
              {page > 1 ? (
                <Link to={pageLink(page - 1)} className={buttonClass('secondary', 'sm')} rel="prev">
                  {t('access.users.previous')}
                </Link>
              ) : null}
              {offset + limit < total ? (
                <Link to={pageLink(page + 1)} className={buttonClass('secondary', 'sm')} rel="next">
                  {t('access.users.next')}
                </Link>
              ) : null}
            </div>
          </nav>
        ) : null}
      </section>
    </div>
  );
}
