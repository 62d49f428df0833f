import { createTranslator, HealthBadge, isLanguage, resolveLanguage, type Language } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { StatCard } from '../components/StatCard';
import { catalog, useAdminT } from '../i18n';
import type { RootLoader } from '../root-data';

const locales: Record<Language, string> = { en: 'en-GB', tr: 'tr-TR' };

/** The dashboard's server-side figures, through the router's in-process caller. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const health = await context.trpc.health.check();
  const lang = resolveLanguage(request);
  // Formatted here, in UTC, so the server's HTML and the browser's hydration agree.
  const serverTime = new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(health.time);
  return { product: health.product, databaseOk: health.database === 'ok', serverTime };
}

export const meta: MetaFunction<typeof loader, { root: RootLoader }> = ({ data, matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('admin.meta.title', { product: data?.product ?? 'Atrium' }) }];
};

const upcoming = ['users', 'invites', 'models', 'analytics'] as const;

export default function Overview() {
  const t = useAdminT();
  const { product, databaseOk, serverTime } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{t('admin.overview.title')}</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">{t('admin.overview.lead', { product })}</p>
      </header>

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

      <section aria-labelledby="next" className="rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <h2 id="next" className="font-semibold">
            {t('admin.next.heading')}
          </h2>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{t('admin.next.lead')}</p>
        </div>
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {upcoming.map((id) => (
            <li key={id} className="flex items-center justify-between gap-4 px-6 py-4">
              <div>
                <p className="text-sm font-medium">{t(`admin.sections.${id}`)}</p>
                <p className="text-sm text-zinc-500 dark:text-zinc-400">{t(`admin.next.${id}`)}</p>
              </div>
              <span className="shrink-0 rounded-full bg-accent-50 px-2.5 py-0.5 text-xs font-medium text-accent-700 ring-1 ring-accent-200 ring-inset dark:bg-accent-950 dark:text-accent-300 dark:ring-accent-800">
                {t('shell.soon')}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
