import { buttonClass } from '@atrium/ui';
import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { clientLoaderWithStrings, useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.data.deleted.metaTitle', { product }) }];
};

// Nothing to load: without a server loader, Remix would run the strings' `clientLoader` when the
// page is hydrated too, not only on a navigation.
export const loader = () => null;

/** The page's strings (`pageStringGroups`) arrive before it renders on a navigation. */
export const clientLoader = clientLoaderWithStrings;

/** Where a deleted account lands: signed out, nothing left to show but a goodbye. */
export default function AccountDeleted() {
  const t = useWebT();
  const product = useRootData()?.product ?? 'Atrium';
  return (
    <div className="mx-auto w-full max-w-xl px-4 py-16 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t('web.data.deleted.title')}</h1>
      <p className="mt-3 text-zinc-700 dark:text-zinc-300">{t('web.data.deleted.body', { product })}</p>
      <Link to="/" className={`mt-8 ${buttonClass('secondary')}`}>
        {t('web.data.deleted.home')}
      </Link>
    </div>
  );
}
