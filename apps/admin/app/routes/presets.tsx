import { buttonClass, Notice, useLanguage } from '@atrium/ui';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { formOptionalNumber, formOptionalText, formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { requireAdmin } from '../auth.server';
import { Badge } from '../components/Badge';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { PresetForm, type GlobalPreset } from '../components/PresetForm';
import { formatDateTime, formatNumber } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('content.presets.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  const [presets, models] = await Promise.all([context.trpc.presets.admin.list(), context.trpc.models.admin.list()]);
  return {
    presets,
    models: models.map((model) => ({ id: model.id, displayName: model.displayName })),
    creating: params.has('new'),
    editing: params.get('edit'),
    done: params.get('created')
      ? { kind: 'created' as const, id: params.get('created')! }
      : params.get('updated')
        ? { kind: 'updated' as const, id: params.get('updated')! }
        : null,
  };
}

const presetFields = (form: FormData) => ({
  name: formText(form, 'name'),
  description: formOptionalText(form, 'description'),
  systemPromptTemplate: formText(form, 'systemPromptTemplate'),
  temperature: formOptionalNumber(form, 'temperature'),
  maxTokens: formOptionalNumber(form, 'maxTokens'),
  modelId: formOptionalText(form, 'modelId'),
  requiredUnlock: formOptionalText(form, 'requiredUnlock'),
});

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult | Response> {
  await requireAdmin(context, request);
  const form = await request.formData();
  const intent = formText(form, 'intent');
  const id = formText(form, 'id');
  const submitted = Object.fromEntries(form);
  const presets = context.trpc.presets.admin;
  switch (intent) {
    case 'create': {
      const result = await attempt(intent, submitted, () => presets.create(presetFields(form)));
      return result.ok ? redirect(`/presets?created=${result.result.id}`) : result;
    }
    case 'update': {
      const result = await attempt(intent, submitted, () => presets.update({ id, changes: presetFields(form) }));
      return result.ok ? redirect(`/presets?updated=${result.result.id}`) : result;
    }
    case 'delete':
      return attempt(intent, submitted, () => presets.delete({ id }));
    default:
      throw new Response('Unknown action.', { status: 400 });
  }
}

export default function Presets() {
  const t = useAdminT();
  const { presets, models, creating, editing, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const editingPreset = editing ? (presets.find((preset) => preset.id === editing) ?? null) : null;
  const donePreset = done ? presets.find((preset) => preset.id === done.id) : undefined;
  const modelNames = new Map(models.map((model) => [model.id, model.displayName]));

  return (
    <div className="space-y-8">
      <PageHeader
        title={t('content.presets.title')}
        lead={t('content.presets.lead')}
        actions={
          creating ? null : (
            <Link to="?new" className={buttonClass('primary')}>
              {t('content.presets.add')}
            </Link>
          )
        }
      />

      {done && donePreset && !creating && !editing ? (
        <Notice tone="success" focusKey={`${done.kind}:${done.id}`}>
          {t(done.kind === 'created' ? 'content.presets.created' : 'content.presets.saved', { name: donePreset.name })}
        </Notice>
      ) : null}

      {creating || editingPreset ? (
        <PresetForm key={editingPreset?.id ?? 'new'} preset={editingPreset} models={models} result={result} />
      ) : null}

      {presets.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {t('content.presets.empty')}
        </p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {presets.map((preset) => (
            <PresetCard
              key={preset.id}
              preset={preset}
              modelName={preset.modelId ? (modelNames.get(preset.modelId) ?? preset.modelId) : null}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function PresetCard({ preset, modelName }: { preset: GlobalPreset; modelName: string | null }) {
  const t = useAdminT();
  const lang = useLanguage();
  const remove = useFetcher<typeof action>();
  return (
    <li
      className="flex flex-col rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      data-preset={preset.name}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="font-semibold">{preset.name}</h2>
          {preset.description ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{preset.description}</p>
          ) : null}
        </div>
        <Badge tone={modelName ? 'accent' : 'neutral'}>{modelName ?? t('content.presets.anyModel')}</Badge>
      </div>
      <pre className="mt-4 max-h-32 overflow-hidden rounded-lg bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-700 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-300 dark:ring-zinc-800">
        {preset.systemPromptTemplate}
      </pre>
      <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
        <div>
          <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('content.presets.temperature')}</dt>
          <dd>
            {preset.temperature === null ? t('content.presets.modelDefault') : formatNumber(preset.temperature, lang)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('content.presets.maxTokens')}</dt>
          <dd>
            {preset.maxTokens === null
              ? t('content.presets.modelDefault')
              : t('content.presets.tokens', { count: formatNumber(preset.maxTokens, lang) })}
          </dd>
        </div>
      </dl>
      <div className="mt-auto flex flex-wrap items-center justify-between gap-2 pt-4">
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {t('content.presets.updated', { date: formatDateTime(preset.updatedAt, lang) })}
        </p>
        <div className="flex items-center gap-1">
          <Link
            to={`?edit=${preset.id}`}
            className={buttonClass('ghost', 'sm')}
            aria-label={`${t('content.common.edit')}: ${preset.name}`}
          >
            {t('content.common.edit')}
          </Link>
          <remove.Form method="post">
            <input type="hidden" name="id" value={preset.id} />
            <ConfirmButton
              label={t('content.common.delete')}
              accessibleLabel={`${t('content.common.delete')}: ${preset.name}`}
              question={t('content.presets.deleteQuestion', { name: preset.name })}
              confirmLabel={t('content.presets.deleteConfirm')}
              value="delete"
              disabled={remove.state !== 'idle'}
            />
          </remove.Form>
        </div>
      </div>
    </li>
  );
}
