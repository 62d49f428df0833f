import { commonEn, type CommonMessages } from './common.en';
import { commonTr } from './common.tr';
import type { Catalog } from './messages';

/**
 * The shared strings in every language, for a server (which renders any page in any language)
 * and for tests. A browser bundle takes one language at a time from `./common.en.ts` or
 * `./common.tr.ts` instead.
 */
export const commonCatalog = { en: commonEn, tr: commonTr } satisfies Catalog<CommonMessages>;
export type { CommonMessages };
