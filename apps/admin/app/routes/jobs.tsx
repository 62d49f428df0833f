import { buttonClass, Notice, Panel, SelectField, useLanguage } from '@atrium/ui';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { formText, type ActionResult } from '../action-result';
import { attempt } from '../action-result.server';
import { useActionMessages } from '../action-messages';
import { requireAdmin } from '../auth.server';
import { Badge } from '../components/Badge';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { formatDateTime, formatNumber } from '../format';
import { useAdminT } from '../i18n';
import { jobs as jobsCatalog } from '../i18n/jobs';
import { pageMeta } from '../page-meta';

export const meta = pageMeta('jobs.title');

const STATUSES = ['failed', 'queued', 'running', 'completed'] as const;
type Status = (typeof STATUSES)[number];
const PAGE_SIZE = 50;
// The kinds with a name in the catalog (a job's own name has dots, which i18n reads as nesting).
const KINDS = jobsCatalog.en.jobs.kinds;
const tone = { failed: 'danger', queued: 'warning', running: 'accent', completed: 'success', cancelled: 'neutral' } as const;

function filtersFrom(params: URLSearchParams) {
  const status = params.get('status') ?? '';
  const name = params.get('name') ?? '';
  return {
    status: (STATUSES.includes(status as Status) ? status : 'failed') as Status,
    name: /^[a-z0-9_.-]{1,100}$/i.test(name) ? name : '',
  };
}

function cursorFrom(params: URLSearchParams) {
  const before = params.get('before');
  const id = params.get('beforeId');
  const createdAt = before ? new Date(before) : null;
  return createdAt && !Number.isNaN(createdAt.getTime()) && id && /^[0-9a-f-]{36}$/i.test(id) ? { createdAt, id } : undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  const filters = filtersFrom(params);
  const cursor = cursorFrom(params);
  const [overview, page] = await Promise.all([
    context.trpc.jobs.admin.overview(),
    context.trpc.jobs.admin.list({ status: filters.status, ...(filters.name ? { name: filters.name } : {}), limit: PAGE_SIZE, cursor }),
  ]);
  return { filters, paged: cursor !== undefined, overview, page };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  await requireAdmin(context, request);
  const form = await request.formData();
  return attempt('retry', Object.fromEntries(form), () =>
    context.trpc.jobs.admin.retry({ name: formText(form, 'name'), id: formText(form, 'id') }),
  );
}

export default function Jobs() {
  const t = useAdminT();
  const lang = useLanguage();
  const { filters, paged, overview, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { summary } = useActionMessages(result, {});
  const retrying = navigation.state === 'submitting' ? navigation.formData?.get('id') : null;
  const kindName = (name: string) => {
    const key = name.replace('.', '_');
    return key in KINDS ? t(`jobs.kinds.${key as keyof typeof KINDS}`) : name;
  };
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ status: filters.status, ...(filters.name ? { name: filters.name } : {}), ...extra });
    return `/jobs?${params.toString()}`;
  };
  const when = (instant: Date | null) =>
    instant ? <time dateTime={instant.toISOString()}>{formatDateTime(instant, lang)}</time> : t('jobs.notYet');

  return (
    <div className="space-y-8">
      <PageHeader title={t('jobs.title')} lead={t('jobs.lead')} />

      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {(['queued', 'running', 'failed', 'completed'] as const).map((key) => (
          <StatCard key={key} label={t(`jobs.totals.${key}`)} hint={t(`jobs.totals.${key}Hint`)}>
            <span className="text-2xl" data-testid={`jobs-${key}`}>
              {formatNumber(overview.totals[key], lang)}
            </span>
          </StatCard>
        ))}
      </dl>

      <Panel id="jobs-by-kind" title={t('jobs.byKind')}>
        <table className="w-full text-sm">
          <caption className="sr-only">{t('jobs.byKind')}</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2 pr-4 text-left font-medium">
                {t('jobs.kind')}
              </th>
              {(['queued', 'running', 'failed', 'completed'] as const).map((key) => (
                <th key={key} scope="col" className="px-4 py-2 text-right font-medium">
                  {t(`jobs.totals.${key}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {overview.queues.map((queue) => (
              <tr key={queue.name} data-kind={queue.name}>
                <th scope="row" className="py-2.5 pr-4 text-left font-medium">
                  {kindName(queue.name)} <span className="font-mono text-xs text-zinc-500">{queue.name}</span>
                </th>
                {(['queued', 'running', 'failed', 'completed'] as const).map((key) => (
                  <td key={key} className="px-4 py-2.5 text-right tabular-nums">
                    {queue[key] > 0 ? (
                      <Link className="underline" to={`/jobs?${new URLSearchParams({ status: key, name: queue.name }).toString()}`}>
                        {formatNumber(queue[key], lang)}
                      </Link>
                    ) : (
                      formatNumber(0, lang)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      <section aria-labelledby="jobs-list" className="space-y-4">
        <Form method="get" className="flex flex-wrap items-end gap-4">
          <SelectField label={t('jobs.status')} name="status" defaultValue={filters.status}>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`jobs.statuses.${status}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('jobs.kind')} name="name" defaultValue={filters.name}>
            <option value="">{t('jobs.allKinds')}</option>
            {overview.queues.map((queue) => (
              <option key={queue.name} value={queue.name}>
                {kindName(queue.name)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className={buttonClass('primary')}>
            {t('jobs.show')}
          </button>
        </Form>

        <h2 id="jobs-list" className="text-lg font-semibold">
          {t('jobs.list', { status: t(`jobs.statuses.${filters.status}`) })}
        </h2>
        {result?.ok ? (
          <Notice tone="success" focusKey={result}>
            {t('jobs.retried')}
          </Notice>
        ) : summary.message ? (
          <Notice tone="warning" focusKey={result}>
            {summary.message}
          </Notice>
        ) : null}
        {page.items.length === 0 ? (
          <p className="rounded-2xl border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {t('jobs.empty')}
          </p>
        ) : (
          <ul className="space-y-3">
            {page.items.map((job) => (
              <li
                key={job.id}
                data-job={job.id}
                className="rounded-2xl border border-zinc-200 bg-white p-5 text-sm shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
              >
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <Badge tone={tone[job.status]}>{t(`jobs.statuses.${job.status}`)}</Badge>
                  <span className="font-medium">{kindName(job.name)}</span>
                  <span className="font-mono text-xs text-zinc-500">{job.id}</span>
                  {job.status === 'failed' ? (
                    <Form method="post" className="ml-auto">
                      <input type="hidden" name="name" value={job.name} />
                      <input type="hidden" name="id" value={job.id} />
                      <button
                        type="submit"
                        className={buttonClass('secondary', 'sm')}
                        aria-label={t('jobs.retryLabel', { id: job.id })}
                        disabled={retrying === job.id}
                      >
                        {t('jobs.retry')}
                      </button>
                    </Form>
                  ) : null}
                </div>
                <dl className="mt-3 grid gap-x-6 gap-y-1 sm:grid-cols-4">
                  <div>
                    <dt className="text-xs text-zinc-500">{t('jobs.created')}</dt>
                    <dd>{when(job.createdAt)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">{t('jobs.attempts')}</dt>
                    <dd className="tabular-nums">{t('jobs.attemptsValue', { attempts: job.attempts, max: job.maxAttempts })}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">{t('jobs.started')}</dt>
                    <dd>
                      {job.status === 'queued' && job.startAfter > job.createdAt
                        ? t('jobs.waitsUntil', { time: formatDateTime(job.startAfter, lang) })
                        : when(job.startedAt)}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-xs text-zinc-500">{t('jobs.finished')}</dt>
                    <dd>{when(job.finishedAt)}</dd>
                  </div>
                </dl>
                {job.status === 'failed' || job.reason ? (
                  <p className="mt-3 rounded-lg bg-rose-50 p-3 text-rose-900 dark:bg-rose-950 dark:text-rose-100" data-testid="job-reason">
                    <span className="font-medium">{t('jobs.reason')}: </span>
                    {job.reason ?? t('jobs.noReason')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <nav className="flex justify-between gap-3" aria-label={t('jobs.list', { status: t(`jobs.statuses.${filters.status}`) })}>
          {paged ? (
            <Link to={query({})} className={buttonClass('secondary', 'sm')}>
              ← {t('jobs.newest')}
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link
              to={query({ before: page.nextCursor.createdAt.toISOString(), beforeId: page.nextCursor.id })}
              className={buttonClass('secondary', 'sm')}
            >
              {t('jobs.older')} →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
