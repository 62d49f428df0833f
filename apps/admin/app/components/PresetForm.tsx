import type { RouterOutputs } from '@atrium/api';
import { buttonClass, ErrorSummary, Panel, SelectField, TextField } from '@atrium/ui';
import { Form, Link, useNavigation } from '@remix-run/react';
import { useRef, useState } from 'react';
import { useActionMessages } from '../action-messages';
import type { ActionResult } from '../action-result';
import { useAdminT } from '../i18n';
import { insertPlaceholder, TEMPLATE_VARIABLES } from '../template-variables';
import { TextAreaField } from './TextAreaField';

export type GlobalPreset = RouterOutputs['presets']['admin']['list'][number];
type ModelChoice = { id: string; displayName: string };

const invalid = {
  name: 'content.presets.errors.name',
  description: 'content.presets.errors.description',
  systemPromptTemplate: 'content.presets.errors.systemPromptTemplate',
  temperature: 'content.presets.errors.temperature',
  maxTokens: 'content.presets.errors.maxTokens',
  modelId: 'content.presets.errors.modelId',
  requiredUnlock: 'content.presets.errors.requiredUnlock',
} as const;

/** A global preset's form, with the template's variables one click away. */
export function PresetForm({
  preset,
  models,
  result,
}: {
  preset: GlobalPreset | null;
  models: ModelChoice[];
  result: ActionResult | undefined;
}) {
  const t = useAdminT();
  const navigation = useNavigation();
  const { fieldError, summary } = useActionMessages(result, invalid);
  const [template, setTemplate] = useState(preset?.systemPromptTemplate ?? '');
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const intent = preset ? 'update' : 'create';
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === intent;

  const insert = (name: string) => {
    const area = templateRef.current;
    const next = insertPlaceholder(
      template,
      area?.selectionStart ?? template.length,
      area?.selectionEnd ?? template.length,
      name,
    );
    setTemplate(next.text);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.cursor, next.cursor);
    });
  };

  return (
    <Panel
      id="preset-form"
      title={
        preset ? t('content.presets.form.editTitle', { name: preset.name }) : t('content.presets.form.createTitle')
      }
    >
      <Form method="post" className="space-y-6" noValidate>
        <input type="hidden" name="intent" value={intent} />
        {preset ? <input type="hidden" name="id" value={preset.id} /> : null}
        <ErrorSummary message={summary.message} fields={summary.fields} focusKey={result} />

        <div className="grid gap-5 md:grid-cols-2">
          <TextField
            label={t('content.presets.form.name')}
            name="name"
            required
            maxLength={120}
            defaultValue={preset?.name}
            error={fieldError('name')}
          />
          <TextField
            label={t('content.presets.form.description')}
            name="description"
            optional
            maxLength={2000}
            defaultValue={preset?.description ?? ''}
            hint={t('content.presets.form.descriptionHelp')}
            error={fieldError('description')}
          />
        </div>

        <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_16rem]">
          <TextAreaField
            ref={templateRef}
            label={t('content.presets.form.template')}
            name="systemPromptTemplate"
            rows={10}
            required
            maxLength={20_000}
            value={template}
            onChange={(event) => setTemplate(event.target.value)}
            hint={t('content.presets.form.templateHelp')}
            error={fieldError('systemPromptTemplate')}
          />
          <div className="rounded-xl bg-zinc-50 p-4 text-sm ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
            <h3 className="font-semibold">{t('content.presets.form.variables')}</h3>
            <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t('content.presets.form.variablesHelp')}</p>
            <ul className="mt-3 space-y-2">
              {TEMPLATE_VARIABLES.map((variable) => (
                <li key={variable.name}>
                  <button
                    type="button"
                    onClick={() => insert(variable.name)}
                    aria-label={t('content.presets.form.insert', { variable: `{{${variable.name}}}` })}
                    className="rounded-md bg-white px-1.5 py-0.5 font-mono text-xs text-accent-700 ring-1 ring-zinc-200 ring-inset hover:bg-accent-50 dark:bg-zinc-900 dark:text-accent-300 dark:ring-zinc-700"
                  >
                    {`{{${variable.name}}}`}
                  </button>
                  <span className="mt-0.5 block text-xs text-zinc-600 dark:text-zinc-400">
                    {t(`content.presets.form.variable.${variable.meaning}`)}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </div>

        <div className="grid gap-5 md:grid-cols-3">
          <TextField
            label={t('content.presets.form.temperature')}
            name="temperature"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            optional
            defaultValue={preset?.temperature ?? ''}
            hint={t('content.presets.form.temperatureHelp')}
            error={fieldError('temperature')}
          />
          <TextField
            label={t('content.presets.form.maxTokens')}
            name="maxTokens"
            type="number"
            inputMode="numeric"
            min={1}
            max={200_000}
            step={1}
            optional
            defaultValue={preset?.maxTokens ?? ''}
            hint={t('content.presets.form.maxTokensHelp')}
            error={fieldError('maxTokens')}
          />
          <TextField
            label={t('content.presets.form.requiredUnlock')}
            name="requiredUnlock"
            optional
            maxLength={64}
            defaultValue={preset?.requiredUnlock ?? ''}
            hint={t('content.presets.form.requiredUnlockHelp')}
            error={fieldError('requiredUnlock')}
          />
          <SelectField
            label={t('content.presets.form.model')}
            name="modelId"
            defaultValue={preset?.modelId ?? ''}
            hint={t('content.presets.form.modelHelp')}
            error={fieldError('modelId')}
          >
            <option value="">{t('content.presets.anyModel')}</option>
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.displayName}
              </option>
            ))}
          </SelectField>
        </div>

        <div className="flex flex-wrap gap-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
          <button type="submit" className={buttonClass('primary')} disabled={busy}>
            {busy
              ? t('content.common.saving')
              : preset
                ? t('content.presets.form.update')
                : t('content.presets.form.create')}
          </button>
          <Link to="/presets" className={buttonClass('secondary')}>
            {t('content.common.cancel')}
          </Link>
        </div>
      </Form>
    </Panel>
  );
}
