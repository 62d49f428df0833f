import { buttonClass, Notice, Panel, useLanguage } from '@atrium/ui';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { csvHref, fillDays, totalsByRole } from '../analytics';
import { DateRangeForm } from '../components/DateRangeForm';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { BreakdownChart, DailyUsageChart } from '../components/UsageCharts';
import { UsageTable } from '../components/UsageTable';
import { rangeFromSearch, rangeShortcuts } from '../dates';
import { formatCost, formatDay, formatNumber, formatPercent } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { requireAdmin } from '../auth.server';

const TOP_USERS = 20;
const GROUPINGS = ['day', 'model', 'role', 'user'] as const;

export const meta = pageMeta('content.analytics.title');

const formatMonth = (month: string, lang: string) =>
  new Intl.DateTimeFormat(lang === 'tr' ? 'tr-TR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}T00:00:00Z`));

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const now = new Date();
  const range = rangeFromSearch(new URL(request.url).searchParams, now);
  const analytics = context.trpc.usage.admin.analytics;
  const [byDay, byModel, byProvider, byRole, byUser, byChannel, byApiKey, models, estimated] = await Promise.all([
    analytics({ ...range, groupBy: 'day', limit: 400 }),
    analytics({ ...range, groupBy: 'model', limit: 50 }),
    analytics({ ...range, groupBy: 'provider', limit: 10 }),
    analytics({ ...range, groupBy: 'role', limit: 10 }),
    analytics({ ...range, groupBy: 'user', limit: TOP_USERS }),
    analytics({ ...range, groupBy: 'channel', limit: 10 }),
    analytics({ ...range, groupBy: 'apiKey', limit: TOP_USERS }),
    context.trpc.models.admin.list(),
    context.trpc.usage.admin.estimated(),
  ]);
  const modelNames = new Map(models.map((model) => [model.id, model.displayName]));
  return {
    range,
    shortcuts: rangeShortcuts(now).map((shortcut) => ({ ...shortcut })),
    totals: totalsByRole(byRole),
    days: fillDays(range, byDay),
    byModel: byModel.map((row) => ({ ...row, label: modelNames.get(row.key) ?? row.key })),
    byRole,
    topUsers: byUser.map((row) => ({ ...row, label: row.key })),
    byChannel,
    byProvider,
    byApiKey: byApiKey.map((row) => ({ ...row, label: row.key })),
    estimated,
  };
}

export default function Analytics() {
  const t = useAdminT();
  const lang = useLanguage();
  const { range, shortcuts, totals, days, byModel, byProvider, byRole, topUsers, byChannel, byApiKey, estimated } = useLoaderData<typeof loader>();
  const roles = byRole.map((row) => ({
    ...row,
    label: t(`content.common.roles.${row.key as 'student' | 'staff' | 'admin'}`),
  }));
  const empty = totals.requests === 0 && totals.cacheHits === 0;

  return (
    <div className="space-y-8">
      <PageHeader
        title={t('content.analytics.title')}
        lead={t('content.analytics.lead')}
        actions={
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium text-zinc-700 dark:text-zinc-300">{t('content.analytics.download')}:</span>
            {GROUPINGS.map((grouping) => (
              <a
                key={grouping}
                href={csvHref(range, grouping)}
                download
                aria-label={`${t('content.analytics.download')} ${t(`content.analytics.downloadBy.${grouping}`)}`}
                className={buttonClass('secondary', 'sm')}
              >
                {t(`content.analytics.downloadBy.${grouping}`)}
              </a>
            ))}
          </div>
        }
      />

      <DateRangeForm range={range} shortcuts={shortcuts} />

      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          label={t('content.analytics.totals.requests')}
          hint={t('content.analytics.totals.requestsHint', { cached: formatNumber(totals.cacheHits, lang) })}
        >
          <span className="text-2xl" data-testid="total-requests">
            {formatNumber(totals.requests, lang)}
          </span>
        </StatCard>
        <StatCard
          label={t('content.analytics.totals.tokens')}
          hint={t('content.analytics.totals.tokensHint', {
            prompt: formatNumber(totals.promptTokens, lang),
            completion: formatNumber(totals.completionTokens, lang),
          })}
        >
          <span className="text-2xl" data-testid="total-tokens">
            {formatNumber(totals.tokens, lang)}
          </span>
        </StatCard>
        <StatCard label={t('content.analytics.totals.cost')} hint={t('content.analytics.totals.costHint')}>
          <span className="text-2xl" data-testid="total-cost">
            {formatCost(totals.costMicros, lang)}
          </span>
        </StatCard>
        <StatCard label={t('content.analytics.totals.users')} hint={t('content.analytics.totals.usersHint')}>
          <span className="text-2xl" data-testid="total-users">
            {formatNumber(totals.users, lang)}
          </span>
        </StatCard>
      </dl>

      {estimated.estimatedTokens > 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="estimated-share">
          {t('estimates.month', {
            month: formatMonth(estimated.month, lang),
            cost: formatCost(estimated.estimatedCostMicros, lang),
            share: formatPercent(estimated.share, lang),
          })}
        </p>
      ) : null}

      {empty ? (
        <Notice tone="info">{t('content.analytics.noData')}</Notice>
      ) : (
        <>
          <Panel title={t('content.analytics.byDay')}>
            <DailyUsageChart data={days} />
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer font-medium text-accent-700 dark:text-accent-300">
                {t('content.analytics.asTable')}
              </summary>
              <UsageTable
                caption={t('content.analytics.byDay')}
                groupLabel={t('content.analytics.day')}
                rows={days
                  .filter((day) => day.requests > 0 || day.costMicros > 0)
                  .map((day) => ({
                    key: day.day,
                    label: formatDay(day.day, lang, true),
                    requests: day.requests,
                    promptTokens: 0,
                    completionTokens: 0,
                    costMicros: day.costMicros,
                  }))}
              />
            </details>
          </Panel>

          <div className="grid gap-6 xl:grid-cols-2">
            <Panel title={t('content.analytics.byModel')}>
              <BreakdownChart data={byModel} />
              <details className="mt-4 text-sm">
                <summary className="cursor-pointer font-medium text-accent-700 dark:text-accent-300">
                  {t('content.analytics.asTable')}
                </summary>
                <UsageTable
                  caption={t('content.analytics.byModel')}
                  groupLabel={t('content.analytics.model')}
                  rows={byModel}
                  showUsers
                />
              </details>
            </Panel>
            <Panel title={t('content.analytics.byRole')}>
              <BreakdownChart data={roles} />
              <details className="mt-4 text-sm">
                <summary className="cursor-pointer font-medium text-accent-700 dark:text-accent-300">
                  {t('content.analytics.asTable')}
                </summary>
                <UsageTable
                  caption={t('content.analytics.byRole')}
                  groupLabel={t('content.analytics.role')}
                  rows={roles}
                  showUsers
                />
              </details>
            </Panel>
          </div>

          <Panel
            title={t('content.analytics.topUsers')}
            description={t('content.analytics.topUsersLead', { count: TOP_USERS })}
          >
            <UsageTable
              caption={t('content.analytics.topUsers')}
              groupLabel={t('content.analytics.user')}
              rows={topUsers.map((row) => (row.key === '' ? { ...row, label: t('content.analytics.deletedUsers') } : row))}
              totalCostMicros={totals.costMicros}
            />
          </Panel>

          <Panel title={t('content.analytics.byProvider')} description={t('content.analytics.byProviderLead')}>
            <UsageTable
              caption={t('content.analytics.byProvider')}
              groupLabel={t('content.analytics.provider')}
              rows={byProvider.map((row) => ({ ...row, label: t(`content.analytics.providers.${row.key as 'groq' | 'openai' | 'local' | 'demo'}`) }))}
              totalCostMicros={totals.costMicros}
              showUsers
            />
          </Panel>

          <Panel title={t('content.analytics.byChannel')} description={t('content.analytics.byChannelLead')}>
            <UsageTable
              caption={t('content.analytics.byChannel')}
              groupLabel={t('content.analytics.channel')}
              rows={byChannel.map((row) => ({ ...row, label: t(`content.analytics.channels.${row.key as 'web' | 'api'}`) }))}
              showUsers
            />
            {byApiKey.length ? (
              <div className="mt-6">
                <UsageTable caption={t('content.analytics.byApiKey')} groupLabel={t('content.analytics.apiKey')} rows={byApiKey} showUsers />
              </div>
            ) : null}
          </Panel>
        </>
      )}
    </div>
  );
}
