import type { RouterOutputs } from '@atrium/api';
import { buttonClass, CheckboxField, ErrorSummary, Panel, SelectField, TextField } from '@atrium/ui';
import { Form, Link, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useActionMessages } from '../action-messages';
import type { ActionResult } from '../action-result';
import { useAdminT } from '../i18n';

export type CatalogueModel = RouterOutputs['models']['admin']['list'][number];
export const PROVIDERS = ['groq', 'openai', 'local', 'demo'] as const;
type Provider = (typeof PROVIDERS)[number];

/** Which wording each field's "not valid" gets. */
const invalid = {
  id: 'content.models.errors.id',
  displayName: 'content.models.errors.displayName',
  providerModelId: 'content.models.errors.providerModelId',
  contextWindow: 'content.models.errors.contextWindow',
  inputPricePerMTok: 'content.models.errors.price',
  outputPricePerMTok: 'content.models.errors.price',
  pricePerImage: 'content.models.errors.imagePrice',
  sortOrder: 'content.models.errors.sortOrder',
  requiredUnlock: 'content.models.errors.requiredUnlock',
} as const;

/**
 * Adding a model to the catalogue, or editing one: a plain form posted to the page's action. The
 * help under the provider model id follows the chosen provider.
 */
export function ModelForm({ model, result }: { model: CatalogueModel | null; result: ActionResult | undefined }) {
  const t = useAdminT();
  const navigation = useNavigation();
  const [provider, setProvider] = useState<Provider>(model?.provider ?? 'groq');
  const { refusal, fieldError, summary } = useActionMessages(result, invalid);
  const conflict = refusal?.code === 'CONFLICT';
  const busy =
    navigation.state === 'submitting' && navigation.formData?.get('intent') === (model ? 'update' : 'create');

  return (
    <Panel
      id="model-form"
      title={
        model ? t('content.models.form.editTitle', { name: model.displayName }) : t('content.models.form.createTitle')
      }
    >
      <Form method="post" className="space-y-6" noValidate>
        <input type="hidden" name="intent" value={model ? 'update' : 'create'} />
        {model ? <input type="hidden" name="id" value={model.id} /> : null}
        <ErrorSummary
          message={conflict ? t('content.models.errors.conflict') : summary.message}
          fields={summary.fields}
          focusKey={result}
        />

        <div className="grid gap-5 md:grid-cols-2">
          <TextField
            label={t('content.models.form.displayName')}
            name="displayName"
            required
            maxLength={255}
            defaultValue={model?.displayName}
            hint={t('content.models.form.displayNameHelp')}
            error={fieldError('displayName')}
          />
          {model ? (
            <div>
              <p className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
                {t('content.models.form.id')}
              </p>
              <p className="mt-1.5 rounded-lg bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">{model.id}</p>
            </div>
          ) : (
            <TextField
              label={t('content.models.form.id')}
              name="id"
              required
              maxLength={128}
              pattern="[a-z0-9][a-z0-9._\-]*"
              autoComplete="off"
              spellCheck={false}
              hint={t('content.models.form.idHelp')}
              error={conflict ? t('content.models.errors.conflict') : fieldError('id')}
            />
          )}
          <SelectField
            label={t('content.models.form.provider')}
            name="provider"
            value={provider}
            onChange={(event) => setProvider(event.target.value as Provider)}
          >
            {PROVIDERS.map((id) => (
              <option key={id} value={id}>
                {t(`content.common.providers.${id}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('content.models.form.providerModelId')}
            name="providerModelId"
            required
            maxLength={255}
            autoComplete="off"
            spellCheck={false}
            defaultValue={model?.providerModelId}
            hint={t(`content.models.form.providerModelIdHelp.${provider}`)}
            error={fieldError('providerModelId')}
          />
          <TextField
            label={t('content.models.form.contextWindow')}
            name="contextWindow"
            type="number"
            inputMode="numeric"
            min={512}
            max={10_000_000}
            step={1}
            required
            defaultValue={model?.contextWindow ?? 8192}
            hint={t('content.models.form.contextWindowHelp')}
            error={fieldError('contextWindow')}
          />
          <TextField
            label={t('content.models.form.sortOrder')}
            name="sortOrder"
            type="number"
            inputMode="numeric"
            min={0}
            max={10_000}
            step={1}
            defaultValue={model?.sortOrder ?? 100}
            hint={t('content.models.form.sortOrderHelp')}
            error={fieldError('sortOrder')}
          />
          <TextField
            label={t('content.models.form.requiredUnlock')}
            name="requiredUnlock"
            optional
            maxLength={64}
            defaultValue={model?.requiredUnlock ?? ''}
            hint={t('content.models.form.requiredUnlockHelp')}
            error={fieldError('requiredUnlock')}
          />
        </div>

        <fieldset>
          <legend className="text-sm font-semibold">{t('content.models.form.prices')}</legend>
          <p id="prices-help" className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            {t('content.models.form.pricesHelp')}
          </p>
          <div className="mt-3 grid gap-5 sm:grid-cols-2">
            <TextField
              label={t('content.models.form.inputPrice')}
              name="inputPricePerMTok"
              type="number"
              inputMode="decimal"
              min={0}
              max={10_000}
              step="any"
              defaultValue={model?.inputPricePerMTok ?? 0}
              aria-describedby={fieldError('inputPricePerMTok') ? 'inputPricePerMTok-error prices-help' : 'prices-help'}
              error={fieldError('inputPricePerMTok')}
            />
            <TextField
              label={t('content.models.form.outputPrice')}
              name="outputPricePerMTok"
              type="number"
              inputMode="decimal"
              min={0}
              max={10_000}
              step="any"
              defaultValue={model?.outputPricePerMTok ?? 0}
              aria-describedby={
                fieldError('outputPricePerMTok') ? 'outputPricePerMTok-error prices-help' : 'prices-help'
              }
              error={fieldError('outputPricePerMTok')}
            />
            <TextField
              label={t('content.models.form.imagePrice')}
              name="pricePerImage"
              type="number"
              inputMode="decimal"
              min={0}
              max={1_000}
              step="any"
              defaultValue={model?.pricePerImage ?? 0}
              hint={t('content.models.form.imagePriceHelp')}
              error={fieldError('pricePerImage')}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend className="text-sm font-semibold">{t('content.models.form.capabilities')}</legend>
          <div className="mt-3 grid gap-4 md:grid-cols-3">
            <CheckboxField
              label={t('content.models.form.enabled')}
              name="enabled"
              defaultChecked={model?.enabled ?? true}
              hint={t('content.models.form.enabledHelp')}
            />
            <CheckboxField
              label={t('content.models.form.supportsVision')}
              name="supportsVision"
              defaultChecked={model?.supportsVision ?? false}
              hint={t('content.models.form.supportsVisionHelp')}
            />
            <CheckboxField
              label={t('content.models.form.supportsImageGeneration')}
              name="supportsImageGeneration"
              defaultChecked={model?.supportsImageGeneration ?? false}
              hint={t('content.models.form.supportsImageGenerationHelp')}
            />
          </div>
        </fieldset>

        <div className="flex flex-wrap gap-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
          <button type="submit" className={buttonClass('primary')} disabled={busy}>
            {busy
              ? t('content.common.saving')
              : model
                ? t('content.models.form.update')
                : t('content.models.form.create')}
          </button>
          <Link to="/models" className={buttonClass('secondary')}>
            {t('content.common.cancel')}
          </Link>
        </div>
      </Form>
    </Panel>
  );
}
