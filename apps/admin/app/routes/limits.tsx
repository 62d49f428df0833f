import { Panel } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { Fragment } from 'react';
import { Badge } from '../components/Badge';
import { LimitCell } from '../components/LimitCell';
import { RoleQuotasPanel, type RoleQuotasAnswer } from '../components/RoleQuotasPanel';
import { parseQuotaMb } from '../storage/quota-form';
import { PageHeader } from '../components/PageHeader';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { requireAdmin } from '../auth.server';

const ROLES = ['student', 'staff', 'admin'] as const;

export const meta = pageMeta('content.limits.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const [matrix, quotas] = await Promise.all([context.trpc.rateLimits.admin.matrix(), context.trpc.attachments.admin.quotas()]);
  return { matrix, quotas };
}

/** Saves the storage quota of each role whose field changed (the rate limits save cell by cell). */
export async function action({ request, context }: ActionFunctionArgs): Promise<RoleQuotasAnswer> {
  await requireAdmin(context, request);
  const form = await request.formData();
  if (form.get('intent') !== 'setRoleQuotas') throw new Response('Unknown action.', { status: 400 });
  const parsed = ROLES.map((role) => ({ role, value: parseQuotaMb(form.get(`quota-${role}`)) }));
  const invalid = parsed.filter(({ value }) => !value.ok).map(({ role }) => role);
  if (invalid.length) return { ok: false, invalid };
  const current = new Map((await context.trpc.attachments.admin.quotas()).map((row) => [row.role, row.quotaBytes]));
  for (const { role, value } of parsed) {
    const bytes = value.ok ? value.bytes : null;
    if ((current.get(role) ?? null) !== bytes) await context.trpc.attachments.admin.setRoleQuota({ role, quotaBytes: bytes });
  }
  return { ok: true };
}

export default function Limits() {
  const t = useAdminT();
  const { matrix, quotas } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-8">
      <PageHeader title={t('content.limits.title')} lead={t('content.limits.lead')} />

      <Panel title={t('content.limits.rulesTitle')}>
        <ul className="list-disc space-y-1.5 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>{t('content.limits.rules.empty')}</li>
          <li>{t('content.limits.rules.overrides')}</li>
          <li>{t('content.limits.rules.reset')}</li>
          <li>{t('content.limits.rules.shorthand')}</li>
        </ul>
      </Panel>

      {matrix.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">{t('content.limits.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full min-w-[52rem] text-sm">
            <caption className="sr-only">{t('content.limits.caption')}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-left dark:border-zinc-800 dark:bg-zinc-950">
              <tr>
                <th scope="col" rowSpan={2} className="px-4 py-3 align-bottom font-semibold">
                  {t('content.limits.model')}
                </th>
                {ROLES.map((role) => (
                  <th
                    key={role}
                    scope="colgroup"
                    colSpan={2}
                    className="border-l border-zinc-200 px-4 pt-3 pb-1 font-semibold dark:border-zinc-800"
                  >
                    {t(`content.common.roles.${role}`)}
                  </th>
                ))}
              </tr>
              <tr className="text-xs text-zinc-500 dark:text-zinc-400">
                {ROLES.map((role) => (
                  <Fragment key={role}>
                    <th
                      scope="col"
                      className="border-l border-zinc-200 pt-1 pr-2 pb-3 pl-4 text-right font-medium dark:border-zinc-800"
                    >
                      {t('content.limits.requests')}
                    </th>
                    <th scope="col" className="pt-1 pr-4 pb-3 pl-2 text-right font-medium">
                      {t('content.limits.tokens')}
                    </th>
                  </Fragment>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {matrix.map((row) => (
                <tr key={row.modelId} className="align-top">
                  <th scope="row" className="min-w-40 px-4 py-3 text-left font-medium">
                    <span className="block">{row.displayName}</span>
                    <span className="block font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">
                      {row.modelId}
                    </span>
                    {row.enabled ? null : (
                      <span className="mt-1.5 inline-block">
                        <Badge>{t('content.limits.disabled')}</Badge>
                      </span>
                    )}
                  </th>
                  {ROLES.map((role) => (
                    <LimitCell
                      key={role}
                      modelId={row.modelId}
                      modelName={row.displayName}
                      role={role}
                      roleName={t(`content.common.roles.${role}`)}
                      initial={row.roles[role]}
                    />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <RoleQuotasPanel roles={ROLES} quotas={quotas} answer={answer} />
    </div>
  );
}
