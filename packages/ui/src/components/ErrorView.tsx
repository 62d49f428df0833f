import { Link } from '@remix-run/react';
import { useT } from '../i18n/i18n';

/** What a route's ErrorBoundary shows: a 404, a refused request or a generic message, never a stack trace. */
export function ErrorView({ status }: { status?: number }) {
  const t = useT();
  const notFound = status === 404;
  const forbidden = status === 403;
  return (
    <section className="mx-auto flex max-w-xl flex-col items-center px-6 py-24 text-center">
      {status ? <p className="text-sm font-semibold text-accent-600 dark:text-accent-400">{status}</p> : null}
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">{notFound ? t('error.notFoundTitle') : forbidden ? t('error.forbiddenTitle') : t('error.title')}</h1>
      <p className="mt-4 text-zinc-600 dark:text-zinc-400">
        {notFound ? t('error.notFound') : forbidden ? t('error.forbidden') : t('error.unexpected')}
      </p>
      <Link
        to="/"
        className="mt-8 rounded-lg bg-accent-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-accent-500"
      >
        {t('error.backHome')}
      </Link>
    </section>
  );
}
