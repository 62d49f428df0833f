import { Button, Notice } from '@atrium/ui';
import { toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { SessionItem } from '../components/account/SessionItem';
import { useWebT } from '../i18n';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.account.sessions.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const sessions = await context.trpc.sessions.list();
  // This device first, then the most recently active.
  sessions.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  return { sessions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(context, request);
  const form = await request.formData();
  if (form.get('intent') === 'revokeOthers') {
    const { revoked } = await context.trpc.sessions.revokeOthers();
    return { done: 'revokedOthers' as const, count: revoked };
  }
  const id = String(form.get('id') ?? '');
  const current = (await context.trpc.sessions.list()).find((session) => session.current);
  try {
    await context.trpc.sessions.revoke({ id });
  } catch (error) {
    const refusal = toRefusal(error);
    if (refusal.code === 'NOT_FOUND' || refusal.code === 'BAD_REQUEST') return { done: 'alreadyGone' as const, count: 0 };
    throw error;
  }
  // Signing out this device: the procedure cleared the cookie.
  if (current?.id === id) return redirect('/login');
  return { done: 'revoked' as const, count: 1 };
}

export default function Sessions() {
  const t = useWebT();
  const { sessions } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const others = sessions.filter((session) => !session.current).length;

  const message =
    answer?.done === 'revoked'
      ? t('web.account.sessions.revoked')
      : answer?.done === 'revokedOthers'
        ? t(answer.count === 1 ? 'web.account.sessions.revokedOthersOne' : 'web.account.sessions.revokedOthersMany', { count: answer.count })
        : answer?.done === 'alreadyGone'
          ? t('web.account.sessions.alreadyGone')
          : null;

  return (
    <div className="space-y-6">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{t('web.account.sessions.title')}</h1>
          <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.account.sessions.lead')}</p>
        </div>
        {others > 0 ? (
          <Form method="post" className="shrink-0">
            <Button type="submit" name="intent" value="revokeOthers" variant="danger" disabled={busy} aria-describedby="revoke-others-hint">
              {t('web.account.sessions.revokeOthers')}
            </Button>
            <p id="revoke-others-hint" className="sr-only">
              {t('web.account.sessions.revokeOthersHint')}
            </p>
          </Form>
        ) : null}
      </header>

      {message ? (
        <Notice tone={answer?.done === 'alreadyGone' ? 'info' : 'success'} focusKey={answer}>
          {message}
        </Notice>
      ) : null}

      <section
        aria-label={t(sessions.length === 1 ? 'web.account.sessions.countOne' : 'web.account.sessions.countMany', { count: sessions.length })}
        className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {sessions.map((session) => (
            <SessionItem key={session.id} session={session} busy={busy} />
          ))}
        </ul>
      </section>
    </div>
  );
}
