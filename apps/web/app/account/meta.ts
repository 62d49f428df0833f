import { createTranslator, isLanguage } from '@atrium/ui';
import { catalog } from '../i18n';

type Match = { id: string; data?: unknown };

/** The page's translator and product name for `meta`, from the root loader's answer. */
export function metaTranslator(matches: Match[]) {
  const root = matches.find((match) => match.id === 'root')?.data as { lang?: unknown; product?: string } | undefined;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return { t, product: root?.product ?? 'Atrium' };
}
