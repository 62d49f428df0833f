import { createTranslator, isLanguage, trpc, useLanguage } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useId, useRef, useState, type ReactNode } from 'react';
import { requireUser } from '../auth.server';
import { formatNumber } from '../chat/reset-time';
import type { ChatModel, ChatPreset } from '../chat/types';
import { buttonClass, Dialog, inputClass } from '../components/chat/Dialog';
import { PencilIcon, PlusIcon, TrashIcon } from '../components/chat/icons';
import { catalog, clientLoaderWithStrings, useWebT } from '../i18n';
import type { RootLoader } from '../root-data';

export const meta: MetaFunction<unknown, { root: RootLoader }> = ({ matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('web.styles.metaTitle', { product: root?.product ?? 'Atrium' }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const presets = await context.trpc.presets.list();
  const models = await context.trpc.models.list();
  return { presets, models };
}

/** The placeholders the server fills in a style's instructions (see `@atrium/ai`'s template). */
const VARIABLES = [
  ['user.displayName', 'userDisplayName'],
  ['user.username', 'userUsername'],
  ['date', 'date'],
  ['identity.displayName', 'identityDisplayName'],
  ['identity.developerName', 'identityDeveloperName'],
  ['identity.productFamily', 'identityProductFamily'],
] as const;

type Editing = { mode: 'create' } | { mode: 'edit'; preset: ChatPreset } | null;

/** The page's strings (`pageStringGroups`) arrive with its data on a navigation. */
export const clientLoader = clientLoaderWithStrings;

export default function Styles() {
  const t = useWebT();
  const initial = useLoaderData<typeof loader>();
  const presets = trpc.presets.list.useQuery(undefined, { initialData: initial.presets }).data;
  const models = trpc.models.list.useQuery(undefined, { initialData: initial.models }).data;
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<ChatPreset | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const utils = trpc.useUtils();
  const remove = trpc.presets.delete.useMutation({
    onSuccess: () => {
      setNotice(t('web.styles.deleted', { name: removing?.name ?? '' }));
      setRemoving(null);
      void utils.presets.list.invalidate();
    },
  });

  const mine = presets.filter((preset) => !preset.isGlobal);
  const global = presets.filter((preset) => preset.isGlobal);

  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6 lg:px-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Link to="/chat" className="text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
            ← {t('web.styles.backToChat')}
          </Link>
          <h1 className="mt-3 text-3xl font-semibold tracking-tight">{t('web.styles.heading')}</h1>
          <p className="mt-2 max-w-2xl text-zinc-600 dark:text-zinc-400">{t('web.styles.lead')}</p>
        </div>
        {editing === null ? (
          <button
            type="button"
            className={buttonClass.primary}
            onClick={() => {
              setNotice(null);
              setEditing({ mode: 'create' });
            }}
          >
            <PlusIcon />
            {t('web.styles.new')}
          </button>
        ) : null}
      </div>

      <p role="status" className="mt-4 min-h-5 text-sm text-emerald-700 dark:text-emerald-400">
        {notice}
      </p>

      {editing ? (
        <StyleForm
          key={editing.mode === 'edit' ? editing.preset.id : 'new'}
          preset={editing.mode === 'edit' ? editing.preset : null}
          models={models}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setNotice(t('web.styles.saved', { name: saved }));
          }}
        />
      ) : null}

      <section aria-labelledby="my-styles" className="mt-8">
        <h2 id="my-styles" className="text-lg font-semibold">
          {t('web.styles.mine')}
        </h2>
        {mine.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
            {t('web.styles.empty')}
          </p>
        ) : (
          <ul className="mt-3 space-y-3">
            {mine.map((preset) => (
              <PresetCard key={preset.id} preset={preset} models={models}>
                <button
                  type="button"
                  className={buttonClass.secondary}
                  onClick={() => {
                    setNotice(null);
                    setEditing({ mode: 'edit', preset });
                  }}
                  aria-label={`${t('web.styles.edit')}: ${preset.name}`}
                >
                  <PencilIcon />
                  {t('web.styles.edit')}
                </button>
                <button type="button" className={buttonClass.secondary} onClick={() => setRemoving(preset)} aria-label={`${t('web.styles.delete')}: ${preset.name}`}>
                  <TrashIcon />
                  {t('web.styles.delete')}
                </button>
              </PresetCard>
            ))}
          </ul>
        )}
      </section>

      {global.length > 0 ? (
        <section aria-labelledby="global-presets" className="mt-10">
          <h2 id="global-presets" className="text-lg font-semibold">
            {t('web.styles.global')}
          </h2>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{t('web.styles.globalLead')}</p>
          <ul className="mt-3 space-y-3">
            {global.map((preset) => (
              <PresetCard key={preset.id} preset={preset} models={models} />
            ))}
          </ul>
        </section>
      ) : null}

      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('web.styles.remove.title')}
        description={t('web.styles.remove.body', { name: removing?.name ?? '' })}
      >
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={() => setRemoving(null)}>
            {t('web.chat.dialog.cancel')}
          </button>
          <button
            type="button"
            className={buttonClass.danger}
            disabled={remove.isPending}
            onClick={() => removing && remove.mutate({ id: removing.id })}
          >
            {t('web.styles.remove.confirm')}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function PresetCard({ preset, models, children }: { preset: ChatPreset; models: ChatModel[]; children?: ReactNode }) {
  const t = useWebT();
  const lang = useLanguage();
  const model = models.find((candidate) => candidate.id === preset.modelId);
  const facts = [
    preset.temperature !== null ? `${t('web.styles.fields.temperature')}: ${formatNumber(preset.temperature, lang)}` : null,
    preset.maxTokens !== null ? `${t('web.styles.fields.maxTokens')}: ${formatNumber(preset.maxTokens, lang)}` : null,
    preset.modelId ? `${t('web.styles.fields.model')}: ${model?.displayName ?? preset.modelId}` : null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <li className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold">{preset.name}</h3>
          {preset.description ? <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{preset.description}</p> : null}
        </div>
        {children ? <div className="flex shrink-0 gap-2">{children}</div> : null}
      </div>
      <p className="mt-3 line-clamp-3 rounded-lg bg-zinc-50 px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap text-zinc-700 dark:bg-zinc-950 dark:text-zinc-300">
        {preset.systemPromptTemplate}
      </p>
      {facts.length > 0 ? (
        <ul className="mt-3 flex flex-wrap gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          {facts.map((fact) => (
            <li key={fact} className="rounded-full bg-zinc-100 px-2 py-0.5 dark:bg-zinc-800">
              {fact}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Field({ id, label, help, children }: { id: string; label: string; help?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <div className="mt-1.5">{children}</div>
      {help ? (
        <p id={`${id}-help`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {help}
        </p>
      ) : null}
    </div>
  );
}

/** Create or edit one style. Numbers left empty mean "the default". */
function StyleForm({ preset, models, onDone }: { preset: ChatPreset | null; models: ChatModel[]; onDone: (savedName: string | null) => void }) {
  const t = useWebT();
  const id = useId();
  const utils = trpc.useUtils();
  const instructions = useRef<HTMLTextAreaElement>(null);
  const [fields, setFields] = useState({
    name: preset?.name ?? '',
    description: preset?.description ?? '',
    systemPromptTemplate: preset?.systemPromptTemplate ?? '',
    temperature: preset?.temperature?.toString() ?? '',
    maxTokens: preset?.maxTokens?.toString() ?? '',
    modelId: preset?.modelId ?? '',
  });
  const set = (name: keyof typeof fields) => (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value });
  const onSaved = (saved: ChatPreset) => {
    void utils.presets.list.invalidate();
    onDone(saved.name);
  };
  const create = trpc.presets.create.useMutation({ onSuccess: onSaved });
  const update = trpc.presets.update.useMutation({ onSuccess: onSaved });
  const pending = create.isPending || update.isPending;
  const failed = create.isError || update.isError;

  const insert = (name: string) => {
    const area = instructions.current;
    const text = `{{${name}}}`;
    const start = area?.selectionStart ?? fields.systemPromptTemplate.length;
    const end = area?.selectionEnd ?? start;
    const next = fields.systemPromptTemplate.slice(0, start) + text + fields.systemPromptTemplate.slice(end);
    setFields({ ...fields, systemPromptTemplate: next });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="mt-4 rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {preset ? t('web.styles.editing', { name: preset.name }) : t('web.styles.creating')}
      </h2>
      <form
        className="mt-5 space-y-5"
        onSubmit={(event) => {
          event.preventDefault();
          const values = {
            name: fields.name.trim(),
            description: fields.description.trim() || null,
            systemPromptTemplate: fields.systemPromptTemplate.trim(),
            temperature: fields.temperature === '' ? null : Number(fields.temperature),
            maxTokens: fields.maxTokens === '' ? null : Number(fields.maxTokens),
            modelId: fields.modelId || null,
          };
          if (preset) update.mutate({ id: preset.id, changes: values });
          else create.mutate(values);
        }}
      >
        <Field id={`${id}-name`} label={t('web.styles.fields.name')}>
          <input id={`${id}-name`} required maxLength={120} value={fields.name} onChange={set('name')} className={inputClass} />
        </Field>
        <Field id={`${id}-description`} label={t('web.styles.fields.description')} help={t('web.styles.fields.descriptionHelp')}>
          <input
            id={`${id}-description`}
            maxLength={2000}
            value={fields.description}
            onChange={set('description')}
            aria-describedby={`${id}-description-help`}
            className={inputClass}
          />
        </Field>
        <Field id={`${id}-instructions`} label={t('web.styles.fields.instructions')} help={t('web.styles.fields.instructionsHelp')}>
          <textarea
            ref={instructions}
            id={`${id}-instructions`}
            required
            rows={6}
            maxLength={20_000}
            value={fields.systemPromptTemplate}
            onChange={set('systemPromptTemplate')}
            placeholder={t('web.styles.fields.instructionsPlaceholder', { placeholder: '{{user.displayName}}' })}
            aria-describedby={`${id}-instructions-help ${id}-variables`}
            className={`${inputClass} font-mono text-[0.85rem] leading-6`}
          />
        </Field>
        <div id={`${id}-variables`} className="rounded-xl bg-zinc-50 p-4 text-sm dark:bg-zinc-950">
          <p className="font-medium">{t('web.styles.variables.heading')}</p>
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{t('web.styles.variables.lead')}</p>
          <ul className="mt-3 grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
            {VARIABLES.map(([name, key]) => (
              <li key={name} className="flex flex-wrap items-baseline gap-x-2">
                <button
                  type="button"
                  onClick={() => insert(name)}
                  className="rounded bg-white px-1.5 py-0.5 font-mono text-xs text-accent-700 ring-1 ring-zinc-200 hover:bg-accent-50 dark:bg-zinc-900 dark:text-accent-300 dark:ring-zinc-700 dark:hover:bg-accent-950"
                >
                  {`{{${name}}}`}
                </button>
                <span className="text-zinc-600 dark:text-zinc-400">{t(`web.styles.variables.${key}`)}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="grid gap-5 sm:grid-cols-3">
          <Field id={`${id}-temperature`} label={t('web.styles.fields.temperature')} help={t('web.styles.fields.temperatureHelp')}>
            <input
              id={`${id}-temperature`}
              type="number"
              inputMode="decimal"
              min={0}
              max={2}
              step={0.1}
              value={fields.temperature}
              onChange={set('temperature')}
              aria-describedby={`${id}-temperature-help`}
              className={inputClass}
            />
          </Field>
          <Field id={`${id}-max-tokens`} label={t('web.styles.fields.maxTokens')} help={t('web.styles.fields.maxTokensHelp')}>
            <input
              id={`${id}-max-tokens`}
              type="number"
              inputMode="numeric"
              min={1}
              max={200_000}
              step={1}
              value={fields.maxTokens}
              onChange={set('maxTokens')}
              aria-describedby={`${id}-max-tokens-help`}
              className={inputClass}
            />
          </Field>
          <Field id={`${id}-model`} label={t('web.styles.fields.model')} help={t('web.styles.fields.modelHelp')}>
            <select id={`${id}-model`} value={fields.modelId} onChange={set('modelId')} aria-describedby={`${id}-model-help`} className={inputClass}>
              <option value="">{t('web.styles.anyModel')}</option>
              {models.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.displayName}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {failed ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {t('web.styles.errors.generic')}
          </p>
        ) : null}
        <div className="flex gap-2">
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            {preset ? t('web.styles.actions.save') : t('web.styles.actions.create')}
          </button>
          <button type="button" className={buttonClass.secondary} onClick={() => onDone(null)}>
            {t('web.styles.actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
