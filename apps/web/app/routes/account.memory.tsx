import {
  Button,
  buttonClass,
  describeIssue,
  ErrorSummary,
  LocalTime,
  Notice,
  TextField,
  type Refusal,
} from '@atrium/ui';
import { toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { useWebT } from '../i18n';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.memory.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const [memories, learning] = await Promise.all([
    context.trpc.preferences.list(),
    context.trpc.preferences.learning(),
  ]);
  return { memories, learning };
}

type Fields = { key: string; value: string; category: string };
type Done =
  'created' | 'activated' | 'deactivated' | 'deleted' | 'gone' | 'kept' | 'discarded' | 'autoKeepOn' | 'autoKeepOff';
type Answer =
  | { done: Done; key: string; refusal?: undefined }
  | { done?: undefined; form: 'create' | 'update' | 'keep'; id: string | null; values: Fields; refusal: Refusal };

export async function action({ request, context }: ActionFunctionArgs): Promise<Answer | Response> {
  await requireUser(context, request);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '');
  const intent = text('intent');
  const id = text('id');
  const values: Fields = { key: text('key'), value: text('value'), category: text('category').trim() || 'general' };
  try {
    switch (intent) {
      case 'create':
        return { done: 'created', key: (await context.trpc.preferences.create(values)).key };
      case 'update':
        await context.trpc.preferences.update({ id, changes: values });
        return redirect(`/account/memory?saved=${encodeURIComponent(id)}`);
      case 'setActive': {
        const saved = await context.trpc.preferences.setActive({ id, isActive: text('isActive') === 'true' });
        return { done: saved.isActive ? 'activated' : 'deactivated', key: saved.key };
      }
      case 'delete':
        await context.trpc.preferences.delete({ id });
        return { done: 'deleted', key: text('key') };
      case 'keep': {
        // From the suggestion's own buttons nothing changes; from its edit form, the edited fields.
        const changes = form.has('value') ? values : {};
        return { done: 'kept', key: (await context.trpc.preferences.keep({ id, changes })).key };
      }
      case 'discard':
        await context.trpc.preferences.discard({ id });
        return { done: 'discarded', key: text('key') };
      case 'autoKeep': {
        const { autoKeep } = await context.trpc.preferences.setAutoKeep({ autoKeep: text('autoKeep') === 'true' });
        return { done: autoKeep ? 'autoKeepOn' : 'autoKeepOff', key: '' };
      }
      default:
        throw new Response('Unknown intent', { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const refusal = toRefusal(error, values);
    if (
      intent === 'create' ||
      ((intent === 'update' || (intent === 'keep' && form.has('value'))) && refusal.code !== 'NOT_FOUND')
    ) {
      return { form: intent === 'keep' ? 'update' : intent, id: intent === 'create' ? null : id, values, refusal };
    }
    if (refusal.code === 'NOT_FOUND' || refusal.code === 'BAD_REQUEST') return { done: 'gone', key: '' };
    throw error;
  }
}

type Memory = Awaited<ReturnType<typeof loader>>['memories'][number];
const FIELD_ORDER = ['key', 'value', 'category'] as const;

/** The translated problem per field (a taken key included), and the summary's links to them. */
function useFieldErrors(answer: Answer | undefined, form: 'create' | 'update', idPrefix: string) {
  const t = useWebT();
  const refusal = answer?.refusal && answer.form === form ? answer.refusal : undefined;
  const issues = refusal?.fields ?? {};
  const errors: Record<(typeof FIELD_ORDER)[number], string | undefined> = {
    key:
      refusal?.code === 'CONFLICT'
        ? t('web.memory.fields.keyTaken', { key: answer?.refusal ? answer.values.key.trim() : '' })
        : describeIssue(t, issues.key, { required: t('web.memory.fields.keyRequired') }),
    value: describeIssue(t, issues.value, { required: t('web.memory.fields.valueRequired') }),
    category: describeIssue(t, issues.category, { invalid: t('web.memory.fields.categoryInvalid') }),
  };
  const fields = FIELD_ORDER.flatMap((name) =>
    errors[name] ? [{ id: `${idPrefix}${name}`, message: errors[name] }] : [],
  );
  const formError = refusal && fields.length === 0 ? t('web.memory.failed') : undefined;
  return { refusal, errors, fields, formError };
}

function MemoryFields({
  idPrefix,
  values,
  errors,
}: {
  idPrefix: string;
  values?: Partial<Fields>;
  errors: Record<keyof Fields, string | undefined>;
}) {
  const t = useWebT();
  return (
    <>
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          id={`${idPrefix}key`}
          name="key"
          label={t('web.memory.fields.key')}
          hint={t('web.memory.fields.keyHint')}
          required
          maxLength={255}
          defaultValue={values?.key}
          error={errors.key}
        />
        <TextField
          id={`${idPrefix}category`}
          name="category"
          label={t('web.memory.fields.category')}
          hint={t('web.memory.fields.categoryHint')}
          maxLength={64}
          defaultValue={values?.category ?? 'general'}
          error={errors.category}
        />
      </div>
      <TextField
        id={`${idPrefix}value`}
        name="value"
        label={t('web.memory.fields.value')}
        hint={t('web.memory.fields.valueHint')}
        required
        maxLength={2000}
        defaultValue={values?.value}
        error={errors.value}
      />
    </>
  );
}

export default function MemoryPage() {
  const t = useWebT();
  const { memories: all, learning } = useLoaderData<typeof loader>();
  const memories = all.filter((memory) => memory.status !== 'suggested');
  const suggestions = all.filter((memory) => memory.status === 'suggested');
  const answer = useActionData<typeof action>() as Answer | undefined;
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const busy = navigation.state !== 'idle';
  const creating = busy && navigation.formData?.get('intent') === 'create';
  const create = useFieldErrors(answer, 'create', 'memory-');

  const saved = all.find((memory) => memory.id === search.get('saved'));
  const notice = answer?.done
    ? answer.done === 'gone'
      ? t('web.memory.done.gone')
      : t(`web.memory.done.${answer.done}`, { key: answer.key })
    : saved
      ? t('web.memory.done.updated', { key: saved.key })
      : null;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('web.memory.title')}</h1>
        <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.memory.lead')}</p>
      </div>

      {notice ? (
        <Notice tone={answer?.done === 'gone' ? 'info' : 'success'} focusKey={answer ?? search.get('saved')}>
          {notice}
        </Notice>
      ) : null}

      {learning.enabled ? <LearningSettings autoKeep={learning.autoKeep} busy={busy} /> : null}

      {suggestions.length > 0 ? (
        <section aria-labelledby="memory-suggestions-heading">
          <h2 id="memory-suggestions-heading" className="text-lg font-semibold">
            {t('web.memory.suggestions.heading')}
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.memory.suggestions.lead')}</p>
          <ul className="mt-3 divide-y divide-zinc-200 rounded-2xl border border-accent-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-accent-900 dark:bg-zinc-900">
            {suggestions.map((memory) => (
              <MemoryItem
                key={memory.id}
                memory={memory}
                busy={busy}
                editing={
                  search.get('edit') === memory.id ||
                  (answer?.refusal !== undefined && answer.form === 'update' && answer.id === memory.id)
                }
                answer={answer?.refusal && answer.form === 'update' && answer.id === memory.id ? answer : undefined}
              />
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="memory-add-heading">
        <h2 id="memory-add-heading" className="text-lg font-semibold">
          {t('web.memory.add.heading')}
        </h2>
        <div className="mt-3 space-y-4">
          <ErrorSummary message={create.formError} fields={create.fields} focusKey={create.refusal} />
          {/* A successful add clears the form by remounting it. */}
          <Form key={answer?.done === 'created' ? `added-${answer.key}` : 'form'} method="post" noValidate>
            <div className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
              <div className="space-y-5 p-5 sm:p-6">
                <MemoryFields
                  idPrefix="memory-"
                  values={create.refusal ? answer?.refusal && answer.values : undefined}
                  errors={create.errors}
                />
              </div>
              <div className="flex justify-end rounded-b-2xl border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900/60">
                <Button type="submit" name="intent" value="create" disabled={creating}>
                  {creating ? t('web.memory.add.submitting') : t('web.memory.add.submit')}
                </Button>
              </div>
            </div>
          </Form>
        </div>
      </section>

      <section aria-labelledby="memory-list-heading">
        <h2 id="memory-list-heading" className="text-lg font-semibold">
          {t('web.memory.list.heading')}
        </h2>
        {memories.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
            {t('web.memory.list.empty')}
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-200 rounded-2xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {memories.map((memory) => (
              <MemoryItem
                key={memory.id}
                memory={memory}
                busy={busy}
                editing={
                  search.get('edit') === memory.id ||
                  (answer?.refusal !== undefined && answer.form === 'update' && answer.id === memory.id)
                }
                answer={answer?.refusal && answer.form === 'update' && answer.id === memory.id ? answer : undefined}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset';

function MemoryItem({
  memory,
  busy,
  editing,
  answer,
}: {
  memory: Memory;
  busy: boolean;
  editing: boolean;
  answer: Answer | undefined;
}) {
  const t = useWebT();
  const edit = useFieldErrors(answer, 'update', `edit-${memory.id}-`);
  const category = memory.category === 'general' ? t('web.memory.list.general') : memory.category;
  const suggested = memory.status === 'suggested';

  if (editing) {
    return (
      <li data-testid="memory" className="px-5 py-5 sm:px-6">
        <section aria-labelledby={`edit-${memory.id}-heading`} className="space-y-4">
          <h3 id={`edit-${memory.id}-heading`} className="font-semibold">
            {t('web.memory.edit.heading', { key: memory.key })}
          </h3>
          <ErrorSummary message={edit.formError} fields={edit.fields} focusKey={edit.refusal} />
          <Form method="post" noValidate className="space-y-5">
            <input type="hidden" name="id" value={memory.id} />
            <MemoryFields
              idPrefix={`edit-${memory.id}-`}
              values={answer?.refusal ? answer.values : memory}
              errors={edit.errors}
            />
            <div className="flex gap-2">
              <Button type="submit" name="intent" value={suggested ? 'keep' : 'update'} disabled={busy}>
                {suggested ? t('web.memory.suggestions.keepEdited') : t('web.memory.edit.save')}
              </Button>
              <Link to="/account/memory" className={buttonClass('secondary')}>
                {t('web.memory.edit.cancel')}
              </Link>
            </div>
          </Form>
        </section>
      </li>
    );
  }

  return (
    <li
      data-testid="memory"
      data-active={memory.isActive ? 'true' : 'false'}
      className="flex flex-col gap-4 px-5 py-5 sm:flex-row sm:items-start sm:px-6"
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className={`font-semibold ${memory.isActive ? '' : 'text-zinc-500 dark:text-zinc-400'}`}>{memory.key}</h3>
          <span
            className={`${badge} bg-zinc-50 text-zinc-700 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700`}
          >
            {category}
          </span>
          {memory.source === 'inferred' ? (
            <span
              className={`${badge} bg-accent-50 text-accent-700 ring-accent-200 dark:bg-accent-950 dark:text-accent-300 dark:ring-accent-900`}
            >
              {t('web.memory.list.inferred')}
            </span>
          ) : null}
        </div>
        <p
          className={`mt-1 text-sm break-words whitespace-pre-wrap ${memory.isActive ? 'text-zinc-700 dark:text-zinc-300' : 'text-zinc-500 line-through dark:text-zinc-500'}`}
        >
          {memory.value}
        </p>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {t('web.memory.list.updated')}: <LocalTime value={memory.updatedAt} />
        </p>
      </div>
      <div className="flex shrink-0 flex-wrap items-center gap-2">
        {suggested ? (
          <SuggestionActions memory={memory} busy={busy} />
        ) : (
          <>
            <Form method="post">
              <input type="hidden" name="id" value={memory.id} />
              <input type="hidden" name="isActive" value={memory.isActive ? 'false' : 'true'} />
              <button
                type="submit"
                name="intent"
                value="setActive"
                role="switch"
                aria-checked={memory.isActive}
                aria-label={t('web.memory.list.activeLabel', { key: memory.key })}
                disabled={busy}
                className="inline-flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-60 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                <span
                  aria-hidden="true"
                  className={`relative inline-flex h-5 w-9 shrink-0 rounded-full transition-colors ${memory.isActive ? 'bg-accent-600' : 'bg-zinc-300 dark:bg-zinc-600'}`}
                >
                  <span
                    className={`absolute top-0.5 size-4 rounded-full bg-white shadow transition-all ${memory.isActive ? 'left-4.5' : 'left-0.5'}`}
                  />
                </span>
                {memory.isActive ? t('web.memory.list.active') : t('web.memory.list.inactive')}
              </button>
            </Form>
            <Link
              to={`?edit=${memory.id}`}
              className={buttonClass('secondary', 'sm')}
              aria-label={t('web.memory.list.editLabel', { key: memory.key })}
            >
              {t('web.memory.list.edit')}
            </Link>
            <Form method="post">
              <input type="hidden" name="id" value={memory.id} />
              <input type="hidden" name="key" value={memory.key} />
              <Button
                type="submit"
                name="intent"
                value="delete"
                variant="ghost"
                size="sm"
                disabled={busy}
                aria-label={t('web.memory.list.deleteLabel', { key: memory.key })}
              >
                {t('web.memory.list.delete')}
              </Button>
            </Form>
          </>
        )}
      </div>
    </li>
  );
}

/** A suggestion's answers: keep it as it is, edit it first, or discard it. */
function SuggestionActions({ memory, busy }: { memory: Memory; busy: boolean }) {
  const t = useWebT();
  return (
    <>
      <Form method="post">
        <input type="hidden" name="id" value={memory.id} />
        <Button
          type="submit"
          name="intent"
          value="keep"
          size="sm"
          disabled={busy}
          aria-label={t('web.memory.suggestions.keepLabel', { key: memory.key })}
        >
          {t('web.memory.suggestions.keep')}
        </Button>
      </Form>
      <Link
        to={`?edit=${memory.id}`}
        className={buttonClass('secondary', 'sm')}
        aria-label={t('web.memory.list.editLabel', { key: memory.key })}
      >
        {t('web.memory.list.edit')}
      </Link>
      <Form method="post">
        <input type="hidden" name="id" value={memory.id} />
        <input type="hidden" name="key" value={memory.key} />
        <Button
          type="submit"
          name="intent"
          value="discard"
          variant="ghost"
          size="sm"
          disabled={busy}
          aria-label={t('web.memory.suggestions.discardLabel', { key: memory.key })}
        >
          {t('web.memory.suggestions.discard')}
        </Button>
      </Form>
    </>
  );
}

/** Shown when an admin lets the assistant learn about this user's role: the user's own auto-keep switch. */
function LearningSettings({ autoKeep, busy }: { autoKeep: boolean; busy: boolean }) {
  const t = useWebT();
  return (
    <section
      aria-labelledby="memory-learning-heading"
      className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="memory-learning-heading" className="font-semibold">
        {t('web.memory.learning.heading')}
      </h2>
      <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.memory.learning.lead')}</p>
      <Form method="post" className="mt-3">
        <input type="hidden" name="autoKeep" value={autoKeep ? 'false' : 'true'} />
        <button
          type="submit"
          name="intent"
          value="autoKeep"
          role="switch"
          aria-checked={autoKeep}
          disabled={busy}
          className="inline-flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-60 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span
            aria-hidden="true"
            className={`relative inline-flex h-5 w-9 shrink-0 rounded-full transition-colors ${autoKeep ? 'bg-accent-600' : 'bg-zinc-300 dark:bg-zinc-600'}`}
          >
            <span
              className={`absolute top-0.5 size-4 rounded-full bg-white shadow transition-all ${autoKeep ? 'left-4.5' : 'left-0.5'}`}
            />
          </span>
          {t('web.memory.learning.autoKeep')}
        </button>
      </Form>
    </section>
  );
}
