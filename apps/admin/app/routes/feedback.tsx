import { buttonClass, Markdown, Panel, SelectField, TextField, useLanguage } from '@atrium/ui';
import markdownStyles from '@atrium/ui/markdown.css?url';
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireAdmin } from '../auth.server';
import { Badge } from '../components/Badge';
import { PageHeader } from '../components/PageHeader';
import { isIsoDay, rangeInstants } from '../dates';
import { formatDateTime, formatNumber, formatPercent } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';

const PAGE_SIZE = 25;
const TYPES = ['like', 'dislike'] as const;
type FeedbackType = (typeof TYPES)[number];

export const meta = pageMeta('content.feedback.title');

/** The rated answer is shown formatted, as the student read it in the chat. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: markdownStyles }];

/** The filters of the page, from its query string; anything malformed is ignored. */
function filtersFrom(params: URLSearchParams) {
  const type = params.get('type');
  const from = params.get('from');
  const to = params.get('to');
  return {
    model: params.get('model') || '',
    type: (TYPES.includes(type as FeedbackType) ? type : '') as FeedbackType | '',
    from: isIsoDay(from) ? from : '',
    to: isIsoDay(to) ? to : '',
  };
}

function cursorFrom(params: URLSearchParams) {
  const before = params.get('before');
  const id = params.get('beforeId');
  const createdAt = before ? new Date(before) : null;
  return createdAt && !Number.isNaN(createdAt.getTime()) && id && /^[0-9a-f-]{36}$/i.test(id)
    ? { createdAt, id }
    : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  const filters = filtersFrom(params);
  const cursor = cursorFrom(params);
  const common = {
    ...(filters.model ? { model: filters.model } : {}),
    ...rangeInstants({ from: filters.from || undefined, to: filters.to || undefined }),
  };
  const [page, stats, models] = await Promise.all([
    context.trpc.feedback.admin.list({
      ...common,
      ...(filters.type ? { type: filters.type } : {}),
      limit: PAGE_SIZE,
      cursor,
    }),
    context.trpc.feedback.admin.stats(common),
    context.trpc.models.admin.list(),
  ]);
  return {
    filters,
    paged: cursor !== null,
    page,
    stats,
    models: models.map((model) => ({ id: model.id, displayName: model.displayName })),
  };
}

export default function Feedback() {
  const t = useAdminT();
  const lang = useLanguage();
  const { filters, paged, page, stats, models } = useLoaderData<typeof loader>();
  const names = new Map(models.map((model) => [model.id, model.displayName]));
  const modelName = (id: string | null) => (id ? (names.get(id) ?? id) : t('content.feedback.unknownModel'));
  const filtered = Object.values(filters).some(Boolean);
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams(Object.entries({ ...filters, ...extra }).filter(([, value]) => value !== ''));
    return `?${params}`;
  };

  return (
    <div className="space-y-8">
      <PageHeader title={t('content.feedback.title')} lead={t('content.feedback.lead')} />

      <Form
        method="get"
        aria-label={t('content.feedback.filters')}
        className="flex flex-wrap items-end gap-3 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <SelectField label={t('content.feedback.model')} name="model" defaultValue={filters.model} className="min-w-48">
          <option value="">{t('content.feedback.allModels')}</option>
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.displayName}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('content.feedback.type')} name="type" defaultValue={filters.type} className="min-w-40">
          <option value="">{t('content.feedback.allTypes')}</option>
          <option value="like">{t('content.feedback.like')}</option>
          <option value="dislike">{t('content.feedback.dislike')}</option>
        </SelectField>
        <TextField label={t('content.feedback.from')} name="from" type="date" defaultValue={filters.from} />
        <TextField label={t('content.feedback.to')} name="to" type="date" defaultValue={filters.to} />
        <button type="submit" className={buttonClass('primary')}>
          {t('content.feedback.apply')}
        </button>
        {filtered ? (
          <Link to="/feedback" className={buttonClass('ghost')}>
            {t('content.feedback.clear')}
          </Link>
        ) : null}
      </Form>

      <Panel
        id="feedback-by-model"
        title={t('content.feedback.byModel')}
        description={t('content.feedback.byModelLead')}
      >
        {stats.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('content.feedback.empty')}</p>
        ) : (
          <table className="w-full text-sm">
            <caption className="sr-only">{t('content.feedback.byModel')}</caption>
            <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 text-left font-medium">
                  {t('content.feedback.model')}
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  {t('content.feedback.likes')}
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  {t('content.feedback.dislikes')}
                </th>
                <th scope="col" className="py-2 pl-4 text-left font-medium">
                  {t('content.feedback.ratio')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {stats.map((row) => (
                <tr key={row.model ?? ''} data-model={row.model ?? ''}>
                  <th scope="row" className="py-2.5 pr-4 text-left font-medium">
                    {modelName(row.model)}
                  </th>
                  <td className="px-4 py-2.5 text-right tabular-nums">{formatNumber(row.likes, lang)}</td>
                  <td className="px-4 py-2.5 text-right tabular-nums">{formatNumber(row.dislikes, lang)}</td>
                  <td className="py-2.5 pl-4">
                    <span className="flex items-center gap-3">
                      <span
                        className="h-2 w-32 overflow-hidden rounded-full bg-rose-200 dark:bg-rose-900"
                        aria-hidden="true"
                      >
                        <span
                          className="block h-full bg-emerald-500"
                          style={{ width: `${Math.round((row.likeRatio ?? 0) * 100)}%` }}
                        />
                      </span>
                      <span className="tabular-nums" data-testid="like-ratio">
                        {formatPercent(row.likeRatio, lang)}
                      </span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>

      <section aria-labelledby="ratings" className="space-y-4">
        <h2 id="ratings" className="text-lg font-semibold">
          {t('content.feedback.ratings')}
        </h2>
        {page.items.length === 0 ? (
          <p className="rounded-2xl border border-dashed border-zinc-300 p-8 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {t('content.feedback.empty')}
          </p>
        ) : (
          <ul className="space-y-3">
            {page.items.map((item) => (
              <li
                key={item.id}
                className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
                data-feedback={item.id}
              >
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                  {item.type === 'like' ? (
                    <Badge tone="success">👍 {t('content.feedback.like')}</Badge>
                  ) : (
                    <Badge tone="danger">👎 {t('content.feedback.dislike')}</Badge>
                  )}
                  <span className="font-medium">{item.user.displayName}</span>
                  <span className="text-zinc-500 dark:text-zinc-400">@{item.user.username}</span>
                  <span className="text-zinc-400" aria-hidden="true">
                    ·
                  </span>
                  <span className="text-zinc-600 dark:text-zinc-300">{modelName(item.model)}</span>
                  <time
                    className="ml-auto text-xs text-zinc-500 dark:text-zinc-400"
                    dateTime={item.createdAt.toISOString()}
                  >
                    {formatDateTime(item.createdAt, lang)}
                  </time>
                </div>
                <p className={`mt-3 text-sm ${item.comment ? '' : 'text-zinc-500 italic dark:text-zinc-400'}`}>
                  {item.comment ?? t('content.feedback.noComment')}
                </p>
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer font-medium text-accent-700 dark:text-accent-300">
                    {t('content.feedback.snapshot')}
                  </summary>
                  <blockquote className="mt-2 max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
                    <Markdown text={item.messageContent} />
                  </blockquote>
                </details>
              </li>
            ))}
          </ul>
        )}
        <nav className="flex justify-between gap-3" aria-label={t('content.feedback.ratings')}>
          {paged ? (
            <Link to={query({})} className={buttonClass('secondary', 'sm')}>
              ← {t('content.feedback.newest')}
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link
              to={query({ before: page.nextCursor.createdAt.toISOString(), beforeId: page.nextCursor.id })}
              className={buttonClass('secondary', 'sm')}
            >
              {t('content.feedback.older')} →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
