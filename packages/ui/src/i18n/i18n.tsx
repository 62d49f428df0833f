import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { CommonMessages } from './common.en';
import { defaultLanguage, type Catalog, type Language, type MessageKey, type MessageTree } from './messages';

export type TranslateVars = Record<string, string | number>;
/** A translate function whose keys are checked against the message tree `T`. */
export type Translate<T> = (key: MessageKey<T>, vars?: TranslateVars) => string;

/** An app's catalog as far as it is loaded: a browser may hold only its page's language. */
export type LoadedCatalog<T extends object> = Partial<Catalog<T>>;

// Catalogs are typed per app; inside this module they are plain string trees.
type AnyCatalog = Partial<Record<Language, MessageTree>>;

function lookUp(tree: MessageTree | undefined, key: string): string | undefined {
  let node: string | MessageTree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/**
 * `{{name}}` takes the variable's value (inserted as is: React escapes text itself, and a value's
 * own braces are never filled in); a placeholder with no such variable stays as written.
 */
const interpolate = (text: string, vars?: TranslateVars) =>
  vars
    ? text.replace(/\{\{(.+?)\}\}/g, (whole, name: string) =>
        Object.prototype.hasOwnProperty.call(vars, name.trim()) ? String(vars[name.trim()] ?? '') : whole,
      )
    : text;

/**
 * The translate function for one language: the app's catalog (the languages of it that are
 * loaded), which carries the shared strings (`commonEn`, `commonTr`) at its top level, English
 * where a string is missing, else the key itself. The shared strings come with the app's catalog
 * rather than from this module, so a browser loads them in its own language only. Synchronous,
 * so the server renders the final text in one pass and the browser hydrates with exactly the
 * same strings. (A few lines instead of i18next: the apps use keys and `{{vars}}` only, and the
 * library was most of the JavaScript every page loaded for its strings.)
 */
function translator(lang: Language, catalog?: LoadedCatalog<object>): (key: string, vars?: TranslateVars) => string {
  const app = catalog as unknown as AnyCatalog | undefined;
  const find = (code: Language, key: string) => lookUp(app?.[code], key);
  return (key, vars) => interpolate(find(lang, key) ?? find(defaultLanguage, key) ?? key, vars);
}

/** For code outside React (loaders building a page title, `meta`). */
export function createTranslator<T extends object = object>(
  lang: Language,
  catalog?: LoadedCatalog<T>,
): Translate<CommonMessages & T> {
  return translator(lang, catalog as LoadedCatalog<object> | undefined);
}

type I18nValue = { lang: Language; t: (key: string, vars?: TranslateVars) => string };
const I18nContext = createContext<I18nValue>({ lang: defaultLanguage, t: translator(defaultLanguage) });

/** Provides the language decided by the root loader to everything below it. */
export function I18nProvider({
  lang,
  catalog,
  children,
}: {
  lang: Language;
  catalog?: LoadedCatalog<object>;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ lang, t: translator(lang, catalog) }), [lang, catalog]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The one translate function components use: `const t = useT<typeof appEnglish>()`. */
export function useT<T extends object = object>(): Translate<CommonMessages & T> {
  return useContext(I18nContext).t;
}

/** The language currently shown. */
export function useLanguage(): Language {
  return useContext(I18nContext).lang;
}
