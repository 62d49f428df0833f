import { buttonClass, CheckboxField, ErrorSummary, Notice, Panel, TextField } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useActionMessages } from '../action-messages';
import { formBoolean, formNumber, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { PageHeader } from '../components/PageHeader';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('content.summaries.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const { enabled, firstThreshold, updateStep, maxMessages } = await context.trpc.summaries.admin.settings();
  return { settings: { enabled, firstThreshold, updateStep, maxMessages } };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const input = {
    enabled: formBoolean(form, 'enabled'),
    firstThreshold: formNumber(form, 'firstThreshold'),
    updateStep: formNumber(form, 'updateStep'),
    maxMessages: formNumber(form, 'maxMessages'),
  };
  return attempt('save', Object.fromEntries(form), () => context.trpc.summaries.admin.updateSettings(input));
}

const invalid = {
  firstThreshold: 'content.summaries.errors.firstThreshold',
  updateStep: 'content.summaries.errors.updateStep',
  maxMessages: 'content.summaries.errors.maxMessages',
} as const;

type NumberField = keyof typeof invalid;

export default function Summaries() {
  const t = useAdminT();
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [draft, setDraft] = useState({
    ...settings,
    firstThreshold: String(settings.firstThreshold),
    updateStep: String(settings.updateStep),
    maxMessages: String(settings.maxMessages),
  });
  const { fieldError, summary } = useActionMessages(result, invalid);
  const busy = navigation.state === 'submitting';
  const number = (field: NumberField) => ({
    name: field,
    type: 'number',
    inputMode: 'numeric' as const,
    step: 1,
    min: 2,
    required: true,
    value: draft[field],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [field]: event.target.value })),
    error: fieldError(field),
  });

  return (
    <div className="space-y-8">
      <PageHeader title={t('content.summaries.title')} lead={t('content.summaries.lead')} />
      {result?.ok ? (
        <Notice tone="success" focusKey={result}>
          {t('content.summaries.saved')}
        </Notice>
      ) : null}
      <Panel id="summary-settings" title={t('content.summaries.form')}>
        <Form method="post" className="max-w-3xl space-y-6" noValidate>
          <ErrorSummary message={summary.message} fields={summary.fields} focusKey={result} />
          <CheckboxField
            label={t('content.summaries.enabled')}
            name="enabled"
            checked={draft.enabled}
            onChange={(event) => setDraft((current) => ({ ...current, enabled: event.target.checked }))}
            hint={t('content.summaries.enabledHelp')}
          />
          <div className="grid gap-5 md:grid-cols-3">
            <TextField
              label={t('content.summaries.firstThreshold')}
              max={10_000}
              hint={t('content.summaries.firstThresholdHelp')}
              disabled={!draft.enabled}
              {...number('firstThreshold')}
            />
            <TextField
              label={t('content.summaries.updateStep')}
              max={10_000}
              hint={t('content.summaries.updateStepHelp')}
              disabled={!draft.enabled}
              {...number('updateStep')}
            />
            <TextField
              label={t('content.summaries.maxMessages')}
              max={1_000}
              hint={t('content.summaries.maxMessagesHelp')}
              disabled={!draft.enabled}
              {...number('maxMessages')}
            />
          </div>
          {/* Disabled inputs are not submitted: keep their values in the form while summaries are off. */}
          {draft.enabled
            ? null
            : (['firstThreshold', 'updateStep', 'maxMessages'] as const).map((field) => (
                <input key={field} type="hidden" name={field} value={draft[field]} />
              ))}
          <p
            className="rounded-lg bg-zinc-50 px-4 py-3 text-sm text-zinc-700 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-300 dark:ring-zinc-800"
            aria-live="polite"
          >
            {draft.enabled
              ? t('content.summaries.explain', {
                  first: draft.firstThreshold || '…',
                  step: draft.updateStep || '…',
                  max: draft.maxMessages || '…',
                })
              : t('content.summaries.explainOff')}
          </p>
          <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
            <button type="submit" className={buttonClass('primary')} disabled={busy}>
              {busy ? t('content.common.saving') : t('content.summaries.save')}
            </button>
          </div>
        </Form>
      </Panel>
    </div>
  );
}
