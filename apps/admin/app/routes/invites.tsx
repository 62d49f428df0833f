import { Button, buttonClass, Notice, Panel, SelectField, TextField, useFocusOnChange, useLanguage } from '@atrium/ui';
import { toRefusal } from '@atrium/ui/form.server';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { requireAdmin } from '../auth.server';
import { CopyButton } from '../components/access/CopyButton';
import { RoleBadge } from '../components/access/UserBadges';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { useRootData } from '../root-data';
import { EXPIRY_DAYS, expiryFrom, inviteStatus } from '../users/invite-form';
import { isRole, ROLES } from '../users/search-params';
import { fitText } from '@atrium/db/text';

export const meta = pageMeta('access.invites.metaTitle');

const PAGE_SIZE = 25;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const page = Math.min(Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1), 10_000);
  const { items, total } = await context.trpc.invites.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { invites: items, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAdmin(context, request);
  const form = await request.formData();
  if (form.get('intent') === 'revoke') {
    try {
      const invite = await context.trpc.invites.revoke({ id: String(form.get('id') ?? '') });
      return { intent: 'revoke' as const, ok: true as const, code: invite.code };
    } catch (error) {
      const refusal = toRefusal(error);
      return { intent: 'revoke' as const, ok: false as const, error: refusal.code === 'CONFLICT' ? ('used' as const) : ('failed' as const) };
    }
  }
  const role = form.get('role');
  const note = String(form.get('note') ?? '').trim();
  try {
    const invite = await context.trpc.invites.create({
      role: isRole(role) ? role : 'student',
      expiresAt: expiryFrom(form.get('expiry'), new Date()),
      note: note ? fitText(note, 255) : null,
    });
    return { intent: 'create' as const, ok: true as const, code: invite.code, role: invite.role };
  } catch (error) {
    toRefusal(error);
    return { intent: 'create' as const, ok: false as const, error: 'failed' as const };
  }
}

const statusTone = { open: 'success', used: 'neutral', revoked: 'danger', expired: 'warning' } as const;

export default function Invites() {
  const t = useAdminT();
  const lang = useLanguage();
  const product = useRootData()?.product ?? 'Atrium';
  const { invites, total, page, pages } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state !== 'idle';
  const created = answer?.intent === 'create' && answer.ok ? answer : null;
  const createdRef = useFocusOnChange<HTMLDivElement>(created);

  const pageLink = (to: number) => {
    const next = new URLSearchParams(params);
    if (to > 1) next.set('page', String(to));
    else next.delete('page');
    return next.size ? `/invites?${next}` : '/invites';
  };
  const th = 'px-4 py-3 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400';
  const td = 'px-4 py-3 text-sm whitespace-nowrap';

  return (
    <div className="space-y-8">
      <PageHeader title={t('access.invites.title')} lead={t('access.invites.lead')} />

      <div className="grid gap-6 xl:grid-cols-2">
        <Form method="post" key={created?.code ?? 'new'}>
          <input type="hidden" name="intent" value="create" />
          <Panel
            id="new-invite"
            title={t('access.invites.create.title')}
            footer={
              <Button type="submit" disabled={busy}>
                {busy && navigation.formData?.get('intent') === 'create' ? t('access.invites.create.submitting') : t('access.invites.create.submit')}
              </Button>
            }
          >
            {answer?.intent === 'create' && !answer.ok ? (
              <Notice tone="warning" focusKey={answer} className="mb-5">
                {t('access.invites.errors.failed')}
              </Notice>
            ) : null}
            <div className="grid gap-5 sm:grid-cols-2">
              <SelectField label={t('access.invites.create.role')} name="role" defaultValue="student">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`roles.${role}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField label={t('access.invites.create.expiry')} name="expiry" defaultValue="30" hint={t('access.invites.create.expiryHint')}>
                <option value="">{t('access.invites.create.never')}</option>
                {EXPIRY_DAYS.map((days) => (
                  <option key={days} value={days}>
                    {t(`access.invites.create.days_${days}`)}
                  </option>
                ))}
              </SelectField>
              <TextField
                className="sm:col-span-2"
                label={t('access.invites.create.note')}
                name="note"
                optional
                maxLength={255}
                hint={t('access.invites.create.noteHint')}
              />
            </div>
          </Panel>
        </Form>

        {created ? (
          <div
            ref={createdRef}
            tabIndex={-1}
            role="status"
            aria-labelledby="created-invite-title"
            className="rounded-2xl border border-emerald-200 bg-emerald-50 p-6 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-500 dark:border-emerald-900 dark:bg-emerald-950/50"
          >
            <h2 id="created-invite-title" className="font-semibold text-emerald-900 dark:text-emerald-100">
              {t('access.invites.created.title')}
            </h2>
            <p className="mt-1 text-sm text-emerald-900/80 dark:text-emerald-100/80">{t('access.invites.created.body', { product })}</p>
            <p className="mt-5 text-xs font-medium tracking-wide text-emerald-900/70 uppercase dark:text-emerald-100/70">{t('access.invites.created.code')}</p>
            <div className="mt-2 flex flex-wrap items-center gap-3">
              <code id="created-invite-code" data-testid="invite-code" className="rounded-lg bg-white px-4 py-2 font-mono text-xl font-semibold tracking-widest text-zinc-900 shadow-sm ring-1 ring-emerald-200 dark:bg-zinc-900 dark:text-white dark:ring-emerald-900">
                {created.code}
              </code>
              <CopyButton text={created.code} label={t('access.invites.created.copy')} copiedLabel={t('access.invites.created.copied')} selectId="created-invite-code" />
              <RoleBadge role={created.role} />
            </div>
          </div>
        ) : null}
      </div>

      <section aria-labelledby="invite-list" className="overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="border-b border-zinc-200 px-5 py-4 sm:px-6 dark:border-zinc-800">
          <h2 id="invite-list" className="font-semibold">
            {t('access.invites.list.title')}
          </h2>
        </div>
        {answer?.intent === 'revoke' ? (
          <div className="px-5 pt-4 sm:px-6">
            <Notice tone={answer.ok ? 'success' : 'warning'} focusKey={answer}>
              {answer.ok ? t('access.invites.list.revoked', { code: answer.code }) : t(`access.invites.errors.${answer.error}`)}
            </Notice>
          </div>
        ) : null}
        {invites.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">{t('access.invites.list.empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
              <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                <tr>
                  <th scope="col" className={th}>{t('access.invites.list.code')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.role')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.status')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.note')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.created')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.expires')}</th>
                  <th scope="col" className={th}>{t('access.invites.list.usedBy')}</th>
                  <th scope="col" className={th}>
                    <span className="sr-only">{t('content.common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {invites.map((invite) => (
                  <tr key={invite.id} data-testid="invite-row">
                    <td className={`${td} font-mono font-medium`}>{invite.code}</td>
                    <td className={td}>
                      <RoleBadge role={invite.role} />
                    </td>
                    <td className={td}>
                      <Badge tone={statusTone[inviteStatus(invite.status)]}>{t(`access.invites.status.${inviteStatus(invite.status)}`)}</Badge>
                    </td>
                    <td className={`${td} max-w-56 truncate text-zinc-600 dark:text-zinc-400`} title={invite.note ?? undefined}>
                      {invite.note ?? ''}
                    </td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{formatDateTime(invite.createdAt, lang)}</td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                      {invite.expiresAt ? formatDateTime(invite.expiresAt, lang) : t('access.invites.list.never')}
                    </td>
                    <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{invite.usedBy ?? ''}</td>
                    <td className={`${td} text-right`}>
                      {invite.status === 'open' ? (
                        <Form method="post">
                          <input type="hidden" name="id" value={invite.id} />
                          <ConfirmButton
                            label={t('access.invites.list.revoke')}
                            question={t('access.invites.list.revokeQuestion', { code: invite.code })}
                            confirmLabel={t('access.invites.list.revokeConfirm')}
                            value="revoke"
                            disabled={busy}
                          />
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 ? (
          <nav aria-label={t('access.users.pagination')} className="flex items-center justify-between gap-4 border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
            <p className="text-zinc-600 dark:text-zinc-400">
              {t('access.users.showing', { from: (page - 1) * PAGE_SIZE + 1, to: Math.min(page * PAGE_SIZE, total), total })}
            </p>
            <div className="flex gap-2">
              {page > 1 ? (
                <Link to={pageLink(page - 1)} className={buttonClass('secondary', 'sm')} rel="prev">
                  {t('access.users.previous')}
                </Link>
              ) : null}
              {page < pages ? (
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
