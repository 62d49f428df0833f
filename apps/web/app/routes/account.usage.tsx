import { useLanguage, type Language } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { describeReset } from '../chat/describe';
import { formatNumber } from '../chat/reset-time';
import { useNow } from '../chat/use-now';
import { useWebT } from '../i18n';
import { formatCost } from '../usage/format';
import { colourOf, UsageChart } from '../usage/UsageChart';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.usage.metaTitle', { product }) }];
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  // A malformed ?month= shows this month rather than an error page.
  const asked = new URL(request.url).searchParams.get('month');
  return context.trpc.usage.month(asked && MONTH.test(asked) ? { month: asked } : {});
}

/** The month next to `month` (YYYY-MM), `step` months away. */
function shiftMonth(month: string, step: number) {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, number - 1 + step, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

const monthName = (month: string, lang: Language) =>
  new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const dayName = (day: string, lang: Language) =>
  new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', weekday: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

const cell = 'px-3 py-2 text-right tabular-nums';
const head = 'px-3 py-2 font-medium';

export default function MyUsage() {
  const t = useWebT();
  const lang = useLanguage();
  const data = useLoaderData<typeof loader>();
  const label = monthName(data.month, lang);
  const modelName = (id: string) => data.models.find((model) => model.id === id)?.displayName ?? id;
  const total = data.rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      cacheHits: sum.cacheHits + row.cacheHits,
      tokens: sum.tokens + row.promptTokens + row.completionTokens,
      cost: sum.cost + (row.costMicros ?? 0),
    }),
    { requests: 0, cacheHits: 0, tokens: 0, cost: 0 },
  );

  return (
    <div className="space-y-10">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{t('web.usage.title')}</h1>
          <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.usage.lead')}</p>
        </div>
        <nav aria-label={t('web.usage.month')} className="flex shrink-0 items-center gap-3 text-sm">
          <Link to={`?month=${shiftMonth(data.month, -1)}`} className="text-accent-700 hover:underline dark:text-accent-300">
            ← <span className="sr-only sm:not-sr-only">{t('web.usage.previous')}</span>
          </Link>
          <span className="font-medium" data-testid="usage-month" aria-current="page">
            {label}
          </span>
          {data.current ? null : (
            <Link to={`?month=${shiftMonth(data.month, 1)}`} className="text-accent-700 hover:underline dark:text-accent-300">
              <span className="sr-only sm:not-sr-only">{t('web.usage.next')}</span> →
            </Link>
          )}
        </nav>
      </header>

      <section aria-labelledby="limits-heading" className="space-y-3">
        <h2 id="limits-heading" className="text-lg font-semibold">
          {t('web.usage.limits.title')}
        </h2>
        <Limits limits={data.limits} lang={lang} />
      </section>

      <section aria-labelledby="chart-heading" className="space-y-3">
        <h2 id="chart-heading" className="text-lg font-semibold">
          {t('web.usage.chart.title')}
        </h2>
        <UsageChart days={data.days} rows={data.rows} models={data.models} monthLabel={label} lang={lang} />
      </section>

      <section aria-labelledby="table-heading" className="space-y-3">
        <h2 id="table-heading" className="text-lg font-semibold">
          {t('web.usage.table.title')}
        </h2>
        {data.rows.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('web.usage.chart.empty', { month: label })}</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm" data-testid="usage-table">
              <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
                <tr>
                  <th scope="col" className={head}>{t('web.usage.table.day')}</th>
                  <th scope="col" className={head}>{t('web.usage.table.model')}</th>
                  <th scope="col" className={`${head} text-right`}>{t('web.usage.table.requests')}</th>
                  <th scope="col" className={`${head} text-right`}>{t('web.usage.table.cacheHits')}</th>
                  <th scope="col" className={`${head} text-right`}>{t('web.usage.table.tokens')}</th>
                  {data.showCost ? <th scope="col" className={`${head} text-right`}>{t('web.usage.table.cost')}</th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {data.rows.map((row) => (
                  <tr key={`${row.date}:${row.model}`} data-testid="usage-row">
                    <th scope="row" className="px-3 py-2 font-normal whitespace-nowrap">{dayName(row.date, lang)}</th>
                    <td className="px-3 py-2">
                      <span className="inline-flex items-center gap-1.5">
                        <span
                          className="size-2.5 rounded-sm"
                          style={{ backgroundColor: colourOf(data.models.findIndex((model) => model.id === row.model)) }}
                          aria-hidden="true"
                        />
                        {modelName(row.model)}
                      </span>
                    </td>
                    <td className={cell}>{formatNumber(row.requests, lang)}</td>
                    <td className={cell}>{formatNumber(row.cacheHits, lang)}</td>
                    <td className={cell}>{formatNumber(row.promptTokens + row.completionTokens, lang)}</td>
                    {data.showCost ? <td className={cell}>{formatCost(row.costMicros ?? 0, lang)}</td> : null}
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t border-zinc-200 font-medium dark:border-zinc-800">
                <tr>
                  <th scope="row" colSpan={2} className="px-3 py-2">{t('web.usage.table.total')}</th>
                  <td className={cell}>{formatNumber(total.requests, lang)}</td>
                  <td className={cell}>{formatNumber(total.cacheHits, lang)}</td>
                  <td className={cell} data-testid="usage-total-tokens">{formatNumber(total.tokens, lang)}</td>
                  {data.showCost ? <td className={cell}>{formatCost(total.cost, lang)}</td> : null}
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

type LimitsRow = ReturnType<typeof useLoaderData<typeof loader>>['limits'][number];

/** What is left of today's requests and this month's tokens, per model; reset times in the reader's zone once the page runs. */
function Limits({ limits, lang }: { limits: LimitsRow[]; lang: Language }) {
  const t = useWebT();
  const now = useNow();
  if (limits.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('web.usage.limits.none')}</p>;
  const describe = (remaining: number | null, max: number | null, resetsAt: Date | string) =>
    max === null ? (
      t('web.usage.limits.unlimited')
    ) : (
      <>
        {t('web.usage.limits.left', { remaining: formatNumber(remaining ?? 0, lang), max: formatNumber(max, lang) })}
        {/* The reset time is in the reader's time zone, known once the page runs in the browser. */}
        <span className="block min-h-4 text-xs text-zinc-500 dark:text-zinc-400" data-testid="limit-reset">
          {now ? t('web.usage.limits.resets', { when: describeReset(t, lang, resetsAt, now) }) : null}
        </span>
      </>
    );
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm" data-testid="usage-limits">
        <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className={head}>{t('web.usage.limits.model')}</th>
            <th scope="col" className={head}>{t('web.usage.limits.today')}</th>
            <th scope="col" className={head}>{t('web.usage.limits.month')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {limits.map((row) => (
            <tr key={row.model.id} data-testid="limit-row" className="align-top">
              <th scope="row" className="px-3 py-2 font-medium">{row.model.displayName}</th>
              <td className="px-3 py-2">{describe(row.today.remaining, row.today.limit, row.today.resetsAt)}</td>
              <td className="px-3 py-2">{describe(row.month.remaining, row.month.limit, row.month.resetsAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
