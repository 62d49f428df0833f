import { buttonClass, CheckboxField, ErrorSummary, Notice, Panel, TextField } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useActionMessages } from '../action-messages';
import { formBoolean, formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { IdentityPreview, type IdentityDraft } from '../components/IdentityPreview';
import { PageHeader } from '../components/PageHeader';
import { TextAreaField } from '../components/TextAreaField';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('content.identity.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const { displayName, developerName, productFamily, shortIntro, forbidProviderMention } =
    await context.trpc.identity.get();
  return { identity: { displayName, developerName, productFamily, shortIntro, forbidProviderMention } };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const input = {
    displayName: formText(form, 'displayName'),
    developerName: formText(form, 'developerName'),
    productFamily: formText(form, 'productFamily'),
    shortIntro: formText(form, 'shortIntro'),
    forbidProviderMention: formBoolean(form, 'forbidProviderMention'),
  };
  return attempt('save', input, () => context.trpc.identity.set(input));
}

const invalid = {
  displayName: 'content.identity.errors.displayName',
  developerName: 'content.identity.errors.developerName',
  productFamily: 'content.identity.errors.productFamily',
  shortIntro: 'content.identity.errors.shortIntro',
} as const;

export default function Identity() {
  const t = useAdminT();
  const { identity } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [draft, setDraft] = useState<IdentityDraft>(identity);
  const { fieldError, summary } = useActionMessages(result, invalid);
  const busy = navigation.state === 'submitting';
  const text = (field: 'displayName' | 'developerName' | 'productFamily' | 'shortIntro') => ({
    name: field,
    value: draft[field],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [field]: event.target.value })),
    error: fieldError(field),
  });

  return (
    <div className="space-y-8">
      <PageHeader title={t('content.identity.title')} lead={t('content.identity.lead')} />
      {result?.ok ? (
        <Notice tone="success" focusKey={result}>
          {t('content.identity.saved')}
        </Notice>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <Panel id="identity" title={t('content.identity.form')}>
          <Form method="post" className="space-y-5" noValidate>
            <ErrorSummary message={summary.message} fields={summary.fields} focusKey={result} />
            <div className="grid gap-5 md:grid-cols-2">
              <TextField
                label={t('content.identity.displayName')}
                required
                maxLength={120}
                hint={t('content.identity.displayNameHelp')}
                {...text('displayName')}
              />
              <TextField
                label={t('content.identity.developerName')}
                required
                maxLength={200}
                hint={t('content.identity.developerNameHelp')}
                {...text('developerName')}
              />
            </div>
            <TextField
              label={t('content.identity.productFamily')}
              required
              maxLength={120}
              hint={t('content.identity.productFamilyHelp')}
              {...text('productFamily')}
            />
            <TextAreaField
              label={t('content.identity.shortIntro')}
              rows={3}
              required
              maxLength={2000}
              hint={t('content.identity.shortIntroHelp')}
              className="[&_textarea]:font-sans"
              {...text('shortIntro')}
            />
            <CheckboxField
              label={t('content.identity.forbidProviderMention')}
              name="forbidProviderMention"
              checked={draft.forbidProviderMention}
              onChange={(event) => setDraft((current) => ({ ...current, forbidProviderMention: event.target.checked }))}
              hint={t('content.identity.forbidProviderMentionHelp')}
            />
            <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
              <button type="submit" className={buttonClass('primary')} disabled={busy}>
                {busy ? t('content.common.saving') : t('content.identity.save')}
              </button>
            </div>
          </Form>
        </Panel>
        <aside className="xl:sticky xl:top-24 xl:self-start">
          <Panel
            id="identity-preview"
            title={t('content.identity.preview.title')}
            description={t('content.identity.preview.lead')}
          >
            <IdentityPreview identity={draft} />
          </Panel>
        </aside>
      </div>
    </div>
  );
}
