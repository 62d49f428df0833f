import { buttonClass, CheckboxField, ErrorSummary, languageNames, languages, Notice, Panel, TextField, useLanguage, type Language } from '@atrium/ui';
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
  const perLanguage = (field: string) => ({ en: formText(form, `${field}.en`), tr: formText(form, `${field}.tr`) });
  const input = {
    displayName: formText(form, 'displayName'),
    developerName: perLanguage('developerName'),
    productFamily: formText(form, 'productFamily'),
    shortIntro: perLanguage('shortIntro'),
    forbidProviderMention: formBoolean(form, 'forbidProviderMention'),
  };
  // The fields as named in the form (`shortIntro.tr`), so a blank one reads "required".
  const submitted = Object.fromEntries([...form.keys()].map((name) => [name, formText(form, name)]));
  return attempt('save', submitted, () => context.trpc.identity.set(input));
}

const invalid = {
  displayName: 'content.identity.errors.displayName',
  'developerName.en': 'content.identity.errors.developerName',
  'developerName.tr': 'content.identity.errors.developerName',
  productFamily: 'content.identity.errors.productFamily',
  'shortIntro.en': 'content.identity.errors.shortIntro',
  'shortIntro.tr': 'content.identity.errors.shortIntro',
} as const;

export default function Identity() {
  const t = useAdminT();
  const { identity } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [draft, setDraft] = useState<IdentityDraft>(identity);
  const { fieldError, summary } = useActionMessages(result, invalid);
  const pageLanguage = useLanguage();
  const [previewLanguage, setPreviewLanguage] = useState<Language>(pageLanguage);
  const busy = navigation.state === 'submitting';
  const text = (field: 'displayName' | 'productFamily') => ({
    name: field,
    value: draft[field],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [field]: event.target.value })),
    error: fieldError(field),
  });
  /** A text written per language; typing in one shows the preview in that language. */
  const translated = (field: 'developerName' | 'shortIntro', language: Language) => ({
    name: `${field}.${language}`,
    lang: language,
    value: draft[field][language],
    onChange: (event: { target: { value: string } }) => {
      setPreviewLanguage(language);
      setDraft((current) => ({ ...current, [field]: { ...current[field], [language]: event.target.value } }));
    },
    error: fieldError(`${field}.${language}`),
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
                label={t('content.identity.productFamily')}
                required
                maxLength={120}
                hint={t('content.identity.productFamilyHelp')}
                {...text('productFamily')}
              />
            </div>
            {languages.map((language) => (
              <fieldset key={language} className="space-y-5 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
                <legend className="px-1 text-sm font-semibold">
                  {t('content.identity.inLanguage', { language: languageNames[language] })}
                </legend>
                <TextField
                  label={t('content.identity.developerNameIn', { language: languageNames[language] })}
                  required
                  maxLength={200}
                  hint={t('content.identity.developerNameHelp')}
                  {...translated('developerName', language)}
                />
                <TextAreaField
                  label={t('content.identity.shortIntroIn', { language: languageNames[language] })}
                  rows={3}
                  required
                  maxLength={2000}
                  hint={t('content.identity.shortIntroHelp')}
                  className="[&_textarea]:font-sans"
                  {...translated('shortIntro', language)}
                />
              </fieldset>
            ))}
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
            <IdentityPreview identity={draft} language={previewLanguage} onLanguage={setPreviewLanguage} />
          </Panel>
        </aside>
      </div>
    </div>
  );
}
