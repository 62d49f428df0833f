import { buttonClass, ErrorSummary, LocalTime, Notice, Panel, TextField } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useActionMessages } from '../action-messages';
import { formNumber, formOptionalNumber, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { PageHeader } from '../components/PageHeader';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { useRootData } from '../root-data';

export const meta = pageMeta('retention.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  return { retention: await context.trpc.retention.admin.get() };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const input = {
    conversationDays: formOptionalNumber(form, 'conversationDays'),
    exportHours: formNumber(form, 'exportHours'),
    auditDays: formOptionalNumber(form, 'auditDays'),
  };
  return attempt('save', Object.fromEntries(form), () => context.trpc.retention.admin.update(input));
}

const invalid = {
  conversationDays: 'retention.errors.conversationDays',
  exportHours: 'retention.errors.exportHours',
  auditDays: 'retention.errors.auditDays',
} as const;

/** Retention periods, when the hourly job runs next, and what its last run removed. */
export default function Retention() {
  const t = useAdminT();
  const product = useRootData()?.product ?? 'Atrium';
  const { retention } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { fieldError, summary } = useActionMessages(result, invalid);
  const submitted = result && !result.ok ? result.refusal.fields : null;
  const value = (field: keyof typeof invalid) => {
    const current = retention[field];
    return current === null ? '' : String(current);
  };
  const removed = retention.lastRunRemoved;

  return (
    <div className="space-y-8">
      <PageHeader title={t('retention.title')} lead={t('retention.lead', { product })} />
      {result?.ok ? (
        <Notice tone="success" focusKey={result}>
          {t('retention.saved')}
        </Notice>
      ) : null}
      <Panel id="retention-runs" title={t('retention.runs')}>
        <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-5" data-testid="retention-runs">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('retention.nextRun')}</dt>
            <dd className="mt-1 font-medium">
              <LocalTime value={retention.nextRunAt} />
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('retention.lastRun')}</dt>
            <dd className="mt-1 font-medium">{retention.lastRunAt ? <LocalTime value={retention.lastRunAt} /> : t('retention.never')}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('retention.removedConversations')}</dt>
            <dd className="mt-1 font-medium tabular-nums">{removed ? removed.conversations : '—'}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('retention.removedExports')}</dt>
            <dd className="mt-1 font-medium tabular-nums">{removed ? removed.exports : '—'}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('retention.removedAuditEvents')}</dt>
            <dd className="mt-1 font-medium tabular-nums">{removed ? removed.auditEvents : '—'}</dd>
          </div>
        </dl>
      </Panel>
      <Panel id="retention-settings" title={t('retention.form')}>
        {/* Keyed by the saved values, so a successful save shows what the server kept. */}
        <Form method="post" className="max-w-3xl space-y-6" noValidate key={`${retention.updatedAt.getTime()}`}>
          <ErrorSummary message={summary.message} fields={summary.fields} focusKey={result} />
          <div className="grid gap-5 md:grid-cols-3">
            <TextField
              label={t('retention.conversationDays')}
              name="conversationDays"
              type="number"
              inputMode="numeric"
              min={1}
              max={36_500}
              step={1}
              placeholder={t('retention.off')}
              defaultValue={submitted ? undefined : value('conversationDays')}
              hint={t('retention.conversationDaysHelp')}
              error={fieldError('conversationDays')}
            />
            <TextField
              label={t('retention.exportHours')}
              name="exportHours"
              type="number"
              inputMode="numeric"
              min={1}
              max={720}
              step={1}
              required
              defaultValue={submitted ? undefined : value('exportHours')}
              hint={t('retention.exportHoursHelp')}
              error={fieldError('exportHours')}
            />
            <TextField
              label={t('retention.auditDays')}
              name="auditDays"
              type="number"
              inputMode="numeric"
              min={1}
              max={36_500}
              step={1}
              placeholder={t('retention.off')}
              defaultValue={submitted ? undefined : value('auditDays')}
              hint={t('retention.auditDaysHelp')}
              error={fieldError('auditDays')}
            />
          </div>
          <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <button type="submit" className={buttonClass('primary')} disabled={busy}>
              {busy ? t('content.common.saving') : t('retention.save')}
            </button>
          </div>
        </Form>
      </Panel>
    </div>
  );
}
