import { buttonClass, Notice, useLanguage } from '@atrium/ui';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import type { ActionResult } from '../action-result';
import { formBoolean, formNumber, formText } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { ModelForm, PROVIDERS, type CatalogueModel } from '../components/ModelForm';
import { PageHeader } from '../components/PageHeader';
import { formatNumber, formatPrice } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

/** What each provider needs on the server before its models can be used. */
const PROVIDER_ENV = {
  groq: 'GROQ_API_KEY',
  openai: 'OPENAI_API_KEY',
  local: 'LOCAL_LLM_BASE_URL',
  demo: 'DEMO_LLM_BASE_URL',
} as const;

export const meta = pageMeta('content.models.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  return {
    models: await context.trpc.models.admin.list(),
    creating: params.has('new'),
    editing: params.get('edit'),
    // After a create or an edit the action redirects here, so a reload does not post again.
    done: params.get('created')
      ? { kind: 'created' as const, id: params.get('created')! }
      : params.get('updated')
        ? { kind: 'updated' as const, id: params.get('updated')! }
        : null,
  };
}

const modelFields = (form: FormData) => ({
  provider: formText(form, 'provider') as (typeof PROVIDERS)[number],
  providerModelId: formText(form, 'providerModelId'),
  displayName: formText(form, 'displayName'),
  enabled: formBoolean(form, 'enabled'),
  contextWindow: formNumber(form, 'contextWindow'),
  supportsVision: formBoolean(form, 'supportsVision'),
  supportsImageGeneration: formBoolean(form, 'supportsImageGeneration'),
  inputPricePerMTok: formNumber(form, 'inputPricePerMTok'),
  outputPricePerMTok: formNumber(form, 'outputPricePerMTok'),
  pricePerImage: formNumber(form, 'pricePerImage'),
  sortOrder: formNumber(form, 'sortOrder'),
  requiredUnlock: formText(form, 'requiredUnlock') || null,
});

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult | Response> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const intent = formText(form, 'intent');
  const id = formText(form, 'id');
  const submitted = Object.fromEntries(form);
  const models = context.trpc.models.admin;
  switch (intent) {
    case 'create': {
      const result = await attempt(intent, submitted, () => models.create({ id, ...modelFields(form) }));
      return result.ok ? redirect(`/models?created=${encodeURIComponent(id)}`) : result;
    }
    case 'update': {
      const result = await attempt(intent, submitted, () => models.update({ id, changes: modelFields(form) }));
      return result.ok ? redirect(`/models?updated=${encodeURIComponent(id)}`) : result;
    }
    case 'toggle':
      return attempt(intent, submitted, () =>
        models.update({ id, changes: { enabled: formBoolean(form, 'enabled') } }),
      );
    case 'delete':
      return attempt(intent, submitted, () => models.delete({ id }));
    default:
      throw new Response('Unknown action.', { status: 400 });
  }
}

export default function Models() {
  const t = useAdminT();
  const { models, creating, editing, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const editingModel = editing ? (models.find((model) => model.id === editing) ?? null) : null;
  const missing = PROVIDERS.filter((provider) =>
    models.some((model) => model.provider === provider && !model.providerConfigured),
  );
  const doneModel = done ? models.find((model) => model.id === done.id) : undefined;

  return (
    <div className="space-y-8">
      <PageHeader
        title={t('content.models.title')}
        lead={t('content.models.lead')}
        actions={
          creating ? null : (
            <Link to="?new" className={buttonClass('primary')}>
              {t('content.models.add')}
            </Link>
          )
        }
      />

      {done && doneModel && !creating && !editing ? (
        <Notice tone="success" focusKey={`${done.kind}:${done.id}`}>
          {t(done.kind === 'created' ? 'content.models.created' : 'content.models.updated', {
            name: doneModel.displayName,
          })}
        </Notice>
      ) : null}

      {creating || editingModel ? (
        <ModelForm key={editingModel?.id ?? 'new'} model={editingModel} result={result} />
      ) : null}

      {missing.length ? (
        <Notice tone="warning" title={t('content.models.keyMissingTitle')}>
          <ul className="list-disc space-y-1 pl-5">
            {missing.map((provider) => (
              <li key={provider}>
                <strong>{t(`content.common.providers.${provider}`)}</strong>:{' '}
                {t('content.models.keyMissingHint', { env: PROVIDER_ENV[provider] })}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}

      {models.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">{t('content.models.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full min-w-[56rem] text-sm">
            <caption className="sr-only">{t('content.models.caption')}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  {t('content.models.columns.model')}
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  {t('content.models.columns.provider')}
                </th>
                <th scope="col" className="px-4 py-3 text-right font-medium">
                  {t('content.models.columns.context')}
                </th>
                <th scope="col" className="px-4 py-3 text-right font-medium">
                  {t('content.models.columns.prices')}
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  {t('content.models.columns.enabled')}
                </th>
                <th scope="col" className="px-4 py-3 text-right font-medium">
                  <span className="sr-only">{t('content.common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {models.map((model) => (
                <ModelRow key={model.id} model={model} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function ModelRow({ model }: { model: CatalogueModel }) {
  const t = useAdminT();
  const lang = useLanguage();
  const toggle = useFetcher<typeof action>();
  const remove = useFetcher<typeof action>();
  // Shows the new state while the toggle is on its way.
  const enabled = toggle.formData ? toggle.formData.get('enabled') === 'true' : model.enabled;
  const failed = [toggle.data, remove.data].find((data): data is Extract<ActionResult, { ok: false }> =>
    Boolean(data && 'ok' in data && !data.ok),
  );
  return (
    <tr className="align-top" data-model={model.id}>
      <th scope="row" className="px-4 py-3 text-left font-medium">
        <span className="block">{model.displayName}</span>
        <span className="block font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{model.id}</span>
        <span className="mt-1.5 flex flex-wrap gap-1.5 font-normal">
          {model.supportsVision ? <Badge tone="accent">{t('content.models.vision')}</Badge> : null}
          {model.supportsImageGeneration ? <Badge tone="accent">{t('content.models.imageGeneration')}</Badge> : null}
        </span>
      </th>
      <td className="px-4 py-3">
        <span className="block">{t(`content.common.providers.${model.provider}`)}</span>
        <code className="block text-xs [overflow-wrap:anywhere] text-zinc-500 dark:text-zinc-400">
          {model.providerModelId}
        </code>
        {model.providerConfigured ? null : (
          <span className="mt-1.5 inline-block">
            <Badge tone="warning" title={t('content.models.keyMissingHint', { env: PROVIDER_ENV[model.provider] })}>
              {t('content.models.keyMissing')}
            </Badge>
          </span>
        )}
      </td>
      <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
        {t('content.models.contextTokens', { count: formatNumber(model.contextWindow, lang) })}
      </td>
      <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
        {formatPrice(model.inputPricePerMTok, lang)} / {formatPrice(model.outputPricePerMTok, lang)}
      </td>
      <td className="px-4 py-3">
        <toggle.Form method="post">
          <input type="hidden" name="intent" value="toggle" />
          <input type="hidden" name="id" value={model.id} />
          <input type="hidden" name="enabled" value={String(!enabled)} />
          <button
            type="submit"
            role="switch"
            aria-checked={enabled}
            aria-label={t('content.models.toggle', { name: model.displayName })}
            className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors ${enabled ? 'bg-accent-600' : 'bg-zinc-300 dark:bg-zinc-700'}`}
          >
            <span
              aria-hidden="true"
              className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${enabled ? 'translate-x-5.5' : 'translate-x-0.5'}`}
            />
          </button>
        </toggle.Form>
      </td>
      <td className="px-4 py-3">
        <div className="flex items-center justify-end gap-1 whitespace-nowrap">
          <Link
            to={`?edit=${encodeURIComponent(model.id)}`}
            className={buttonClass('ghost', 'sm')}
            aria-label={`${t('content.common.edit')}: ${model.displayName}`}
          >
            {t('content.common.edit')}
          </Link>
          <remove.Form method="post">
            <input type="hidden" name="id" value={model.id} />
            <ConfirmButton
              label={t('content.common.delete')}
              accessibleLabel={`${t('content.common.delete')}: ${model.displayName}`}
              question={t('content.models.deleteQuestion', { name: model.displayName })}
              confirmLabel={t('content.models.deleteConfirm')}
              value="delete"
              disabled={remove.state !== 'idle'}
            />
          </remove.Form>
        </div>
        {failed ? (
          <p className="mt-1 text-right text-xs text-rose-700 dark:text-rose-300">
            {t(`content.common.errors.${failed.refusal.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'unknown'}`)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
