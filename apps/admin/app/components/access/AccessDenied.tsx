import { Button } from '@atrium/ui';
import { Form } from '@remix-run/react';
import { useAdminT } from '../../i18n';
import { useRootData } from '../../root-data';

/** What a signed-in user who is not an administrator sees instead of an admin page (a 403). */
export function AccessDenied() {
  const t = useAdminT();
  const user = useRootData()?.user;
  return (
    <section className="mx-auto flex max-w-xl flex-col items-center px-6 py-24 text-center">
      <p className="text-sm font-semibold text-accent-600 dark:text-accent-400">403</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">{t('access.forbidden.title')}</h1>
      <p className="mt-4 text-zinc-600 dark:text-zinc-400">{t('access.forbidden.body', { name: user?.displayName ?? '?' })}</p>
      <Form method="post" action="/logout" className="mt-8">
        <Button type="submit">{t('account.signOut')}</Button>
      </Form>
    </section>
  );
}
