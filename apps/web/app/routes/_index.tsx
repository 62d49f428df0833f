import { buttonClass, createTranslator, HealthBadge, isLanguage } from '@atrium/ui';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { HOME, requireSignedOut } from '../auth.server';
import { ChatPreview } from '../components/ChatPreview';
import { FeatureCard } from '../components/FeatureCard';
import { catalog, clientLoaderWithStrings, useWebT } from '../i18n';
import { useRootData, type RootLoader } from '../root-data';

export const meta: MetaFunction<unknown, { root: RootLoader }> = ({ matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data;
  const product = root?.product ?? 'Atrium';
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('web.meta.title', { product }) }, { name: 'description', content: t('web.meta.description') }];
};

/** Signed-in visitors go straight to the app; the landing page is for everyone else. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSignedOut(context, request, HOME);
  return null;
}

/** The page's strings (`pageStringGroups`) arrive with its data on a navigation. */
export const clientLoader = clientLoaderWithStrings;

export default function Landing() {
  const t = useWebT();
  const product = useRootData()?.product ?? 'Atrium';
  return (
    <>
      <section className="relative overflow-hidden">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-x-0 -top-40 -z-10 mx-auto h-[32rem] max-w-4xl rounded-full bg-gradient-to-tr from-accent-200 via-accent-100 to-transparent opacity-60 blur-3xl dark:from-accent-900 dark:via-accent-950 dark:opacity-50"
        />
        <div className="mx-auto grid max-w-6xl items-center gap-12 px-4 py-16 sm:px-6 sm:py-24 lg:grid-cols-2 lg:px-8">
          <div>
            <p className="inline-flex items-center rounded-full bg-accent-50 px-3 py-1 text-sm font-medium text-accent-700 ring-1 ring-accent-200 ring-inset dark:bg-accent-950 dark:text-accent-300 dark:ring-accent-800">
              {t('web.hero.eyebrow')}
            </p>
            <h1 className="mt-6 text-4xl font-semibold tracking-tight text-balance sm:text-5xl">{t('web.hero.title')}</h1>
            <p className="mt-6 text-lg leading-8 text-pretty text-zinc-600 dark:text-zinc-400">{t('web.hero.lead', { product })}</p>
            <div className="mt-10 flex flex-wrap items-center gap-4">
              <Link to="/login" className={buttonClass('primary')}>
                <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6">
                  <rect x="4" y="9" width="12" height="8" rx="2" />
                  <path d="M7 9V6.5a3 3 0 0 1 6 0V9" />
                </svg>
                {t('web.hero.signIn')}
              </Link>
              <Link to="/register" className="text-sm font-semibold text-accent-700 underline-offset-4 hover:underline dark:text-accent-300">
                {t('web.hero.register')} <span aria-hidden="true">→</span>
              </Link>
              <div className="flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
                <span>{t('web.hero.status')}</span>
                <HealthBadge />
              </div>
            </div>
          </div>
          <ChatPreview product={product} />
        </div>
      </section>

      <section aria-labelledby="features" className="mx-auto max-w-6xl px-4 pb-24 sm:px-6 lg:px-8">
        <h2 id="features" className="text-2xl font-semibold tracking-tight">
          {t('web.features.heading')}
        </h2>
        <div className="mt-8 grid gap-6 md:grid-cols-3">
          <FeatureCard icon="stream" title={t('web.features.streaming.title')} body={t('web.features.streaming.body')} />
          <FeatureCard icon="models" title={t('web.features.models.title')} body={t('web.features.models.body')} />
          <FeatureCard icon="privacy" title={t('web.features.privacy.title')} body={t('web.features.privacy.body')} />
        </div>
      </section>
    </>
  );
}
