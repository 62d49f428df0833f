import type { Language } from '@atrium/ui';
import chunks from 'virtual:strings-chunks';
import type { StringGroup } from './i18n/groups';

/** The browser's chunks of a page's strings groups in one language, to preload with the page (none in development; see vite.config.ts). */
export const stringsChunks = (lang: Language, groups: StringGroup[]): string[] =>
  groups.flatMap((group) => chunks[`${group}.${lang}`] ?? []);
