import { createTranslator, isLanguage } from '@atrium/ui';
import type { MetaFunction } from '@remix-run/node';
import { catalog, type useAdminT } from './i18n';

export type AdminKey = Parameters<ReturnType<typeof useAdminT>>[0];

/** A page's document title, "<page> · <product> admin", in the language the root loader chose. */
export const pageMeta =
  (page: AdminKey): MetaFunction =>
  ({ matches }) => {
    const root = matches.find((match) => match.id === 'root')?.data as { lang?: unknown; product?: string } | undefined;
    const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
    return [{ title: t('content.meta.title', { page: t(page), product: root?.product ?? 'Atrium' }) }];
  };
