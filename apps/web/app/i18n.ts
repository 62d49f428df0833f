import { languages, useT, type Catalog, type Language } from '@atrium/ui';
import type { ClientLoaderFunctionArgs } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { pageStringGroups, stringGroups, type StringGroup } from './i18n/groups';
import type { en } from './i18n/en';

type WebMessages = typeof en;
/** A group's strings: the app's under `web`; the core's also @atrium/ui's shared ones beside it. */
type GroupStrings = { web: object };

/**
 * This app's strings, a chunk per group and language (see `./i18n/groups.ts`): a page's browser
 * loads only the groups it shows, in the language it is shown in (before hydration, see
 * entry.client.tsx), and fetches another language when the user switches. The server loads
 * everything before it renders (entry.server.tsx). Filled in place, so
 * `createTranslator(lang, catalog)` in a `meta` function sees whatever has been loaded.
 */
export const catalog: Partial<Catalog<WebMessages>> = {};

const importers = {
  core: {
    en: () => import('./i18n/groups/core.en').then((module) => module.en),
    tr: () => import('./i18n/groups/core.tr').then((module) => module.tr),
  },
  account: {
    en: () => import('./i18n/groups/account.en').then((module) => module.en),
    tr: () => import('./i18n/groups/account.tr').then((module) => module.tr),
  },
  home: {
    en: () => import('./i18n/groups/home.en').then((module) => module.en),
    tr: () => import('./i18n/groups/home.tr').then((module) => module.tr),
  },
  styles: {
    en: () => import('./i18n/groups/styles.en').then((module) => module.en),
    tr: () => import('./i18n/groups/styles.tr').then((module) => module.tr),
  },
} satisfies Record<StringGroup, Record<Language, () => Promise<GroupStrings>>>;

/** The groups this page has asked for, and the languages it has shown or is switching to. */
const wanted = new Set<StringGroup>();
const shown = new Set<Language>();
const loading = new Map<string, Promise<void>>();
const loaded = new Set<string>();

/** One group in one language, merged into `catalog[lang]` (once; later calls share the first load). */
function loadGroup(group: StringGroup, lang: Language): Promise<void> {
  const key = `${group}.${lang}`;
  let load = loading.get(key);
  if (!load) {
    load = importers[group][lang]().then((strings) => {
      const current = catalog[lang] as GroupStrings | undefined;
      Object.assign(catalog, { [lang]: { ...current, ...strings, web: { ...current?.web, ...strings.web } } });
      loaded.add(key);
    });
    // A failed chunk (offline, a deploy replaced it) may be tried again on the next load.
    load.catch(() => loading.delete(key));
    loading.set(key, load);
  }
  return load;
}

const isLoaded = (lang: Language) => [...wanted].every((group) => loaded.has(`${group}.${lang}`));

/** Loads `lang` for every group the page has asked for, plus `groups` (the page's first load). */
export function loadCatalog(lang: Language, groups: StringGroup[] = []): Promise<void> {
  for (const group of groups) wanted.add(group);
  shown.add(lang);
  return Promise.all([...wanted].map((group) => loadGroup(group, lang))).then(() => undefined);
}

/** Loads the groups a page needs in every language shown so far: before it renders after a navigation. */
export function loadPageStrings(pathname: string): Promise<void> {
  const groups = pageStringGroups(pathname);
  for (const group of groups) wanted.add(group);
  return Promise.all([...shown].flatMap((lang) => groups.map((group) => loadGroup(group, lang)))).then(() => undefined);
}

/**
 * The `clientLoader` of a route whose page needs strings beyond the core (`pageStringGroups`):
 * its data and its strings arrive together, so a navigation never shows a page without its text.
 * (Not run when the page is hydrated: the browser's first load already has them.)
 */
export async function clientLoaderWithStrings({ request, serverLoader }: ClientLoaderFunctionArgs) {
  const strings = loadPageStrings(new URL(request.url).pathname);
  // A loader's error (a redirect, a 404) waits for the strings too: the error page shows them.
  const data = await serverLoader().finally(() => strings.catch(() => undefined));
  await strings;
  return data;
}

/** Every group in every language: the server renders any page in any of them. */
export const loadAllCatalogs = () =>
  Promise.all(languages.map((lang) => loadCatalog(lang, [...stringGroups]))).then(() => undefined);

/**
 * The language to render in: `lang` once its strings are here, until then the one shown so far
 * (the page switches when they arrive). The page's first language is loaded before hydration.
 */
export function useLoadedLanguage(lang: Language): Language {
  const [settled, setSettled] = useState(lang);
  useEffect(() => {
    let current = true;
    loadCatalog(lang).then(
      () => current && setSettled(lang),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [lang]);
  return isLoaded(lang) ? lang : settled;
}

/** The translate function for this app's components. */
export const useWebT = () => useT<WebMessages>();
