import { createTranslator, HealthBadge, isLanguage, resolveLanguage, useLanguage, type Language } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { totalsByRole } from '../analytics';
import { requireAdmin } from '../auth.server';
import { StatCard } from '../components/StatCard';
import { dayIn, monthStart, rangeInstants } from '../dates';
import { formatCost, formatDay, formatNumber, formatPercent } from '../format';
import { catalog, useAdminT } from '../i18n';
import type { RootLoader } from '../root-data';

const locales: Record<Language, string> = { en: 'en-GB', tr: 'tr-TR' };

/** The dashboard's figures, through the router's in-process caller: today's and this month's. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const today = dayIn(new Date());
  const month = { from: monthStart(today), to: today };
  const [health, todayByRole, monthByRole, ratings] = await Promise.all([
    context.trpc.health.check(),
    context.trpc.usage.admin.analytics({ from: today, to: today, groupBy: 'role', limit: 10 }),
    context.trpc.usage.admin.analytics({ ...month, groupBy: 'role', limit: 10 }),
    context.trpc.feedback.admin.stats(rangeInstants({ from: month.from })),
  ]);
  const lang = resolveLanguage(request);
  // Formatted here, in UTC, so the server's HTML and the browser's hydration agree.
  const serverTime = new Intl.DateTimeFormat(locales[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(health.time);
  const likes = ratings.reduce((sum, row) => sum + row.likes, 0);
  const rated = ratings.reduce((sum, row) => sum + row.total, 0);
  return {
    product: health.product,
    databaseOk: health.database === 'ok',
    serverTime,
    monthStart: month.from,
    today: totalsByRole(todayByRole),
    month: totalsByRole(monthByRole),
    ratings: { likes, total: rated, ratio: rated ? likes / rated : null },
  };
}

export const meta: MetaFunction<typeof loader, { root: RootLoader }> = ({ data, matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('admin.meta.title', { product: data?.product ?? 'Atrium' }) }];
};

const shortcuts = [
  { to: '/users', label: 'admin.sections.users', text: 'admin.next.users' },
  { to: '/invites', label: 'admin.sections.invites', text: 'admin.next.invites' },
  { to: '/models', label: 'admin.sections.models', text: 'content.dashboard.sections.models' },
  { to: '/presets', label: 'admin.sections.presets', text: 'content.dashboard.sections.presets' },
  { to: '/limits', label: 'admin.sections.limits', text: 'content.dashboard.sections.limits' },
  { to: '/identity', label: 'admin.sections.identity', text: 'content.dashboard.sections.identity' },
  { to: '/analytics', label: 'admin.sections.analytics', text: 'content.dashboard.sections.analytics' },
  { to: '/feedback', label: 'admin.sections.feedback', text: 'content.dashboard.sections.feedback' },
  { to: '/summaries', label: 'admin.sections.summaries', text: 'content.dashboard.sections.summaries' },
  { to: '/cache', label: 'admin.sections.cache', text: 'content.dashboard.sections.cache' },
] as const;

export default function Overview() {
  const t = useAdminT();
  const lang = useLanguage();
  const { product, databaseOk, serverTime, monthStart, today, month, ratings } = useLoaderData<typeof loader>();
  const since = formatDay(monthStart, lang);
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{t('admin.overview.title')}</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">{t('admin.overview.lead', { product })}</p>
      </header>

      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label={t('content.dashboard.requestsToday')}
          hint={t('content.dashboard.requestsTodayHint', { cached: formatNumber(today.cacheHits, lang) })}
        >
          <span className="text-3xl" data-testid="requests-today">
            {formatNumber(today.requests, lang)}
          </span>
        </StatCard>
        <StatCard label={t('content.dashboard.costMonth')} hint={t('content.dashboard.costMonthHint', { date: since })}>
          <span className="text-3xl" data-testid="cost-month">
            {formatCost(month.costMicros, lang)}
          </span>
        </StatCard>
        <StatCard
          label={t('content.dashboard.activeUsers')}
          hint={t('content.dashboard.activeUsersHint', { date: since })}
        >
          <span className="text-3xl" data-testid="active-users">
            {formatNumber(month.users, lang)}
          </span>
        </StatCard>
        <StatCard
          label={t('content.dashboard.likeRatio')}
          hint={
            ratings.total
              ? t('content.dashboard.likeRatioHint', {
                  likes: formatNumber(ratings.likes, lang),
                  total: formatNumber(ratings.total, lang),
                })
              : t('content.dashboard.likeRatioNone')
          }
        >
          <span className="text-3xl" data-testid="like-ratio">
            {formatPercent(ratings.ratio, lang)}
          </span>
        </StatCard>
      </dl>

      <section aria-labelledby="system" className="space-y-4">
        <h2 id="system" className="text-lg font-semibold">
          {t('content.dashboard.system')}
        </h2>
        <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <StatCard label={t('admin.cards.status')} hint={t('admin.cards.statusHint')}>
            <HealthBadge />
          </StatCard>
          <StatCard label={t('admin.cards.database')} hint={t('admin.cards.databaseHint')}>
            {databaseOk ? t('admin.cards.databaseOk') : t('health.down')}
          </StatCard>
          <StatCard label={t('admin.cards.serverTime')} hint={t('admin.cards.serverTimeHint')}>
            <time>{serverTime}</time>
          </StatCard>
          <StatCard label={t('admin.cards.assistant')} hint={t('admin.cards.assistantHint')}>
            <span data-testid="assistant-name">{product}</span>
          </StatCard>
        </dl>
      </section>

      <section
        aria-labelledby="manage"
        className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <h2 id="manage" className="font-semibold">
            {t('content.dashboard.manage')}
          </h2>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{t('content.dashboard.manageLead')}</p>
        </div>
        <ul className="grid divide-y divide-zinc-200 sm:grid-cols-2 sm:divide-y-0 dark:divide-zinc-800">
          {shortcuts.map((shortcut) => (
            <li key={shortcut.to}>
              <Link to={shortcut.to} className="block px-6 py-4 hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
                <span className="block text-sm font-medium text-accent-700 dark:text-accent-300">
                  {t(shortcut.label)}
                </span>
                <span className="block text-sm text-zinc-500 dark:text-zinc-400">{t(shortcut.text)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
