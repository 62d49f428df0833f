import { createInstance, type i18n as I18n } from 'i18next';
import { useCallback, useMemo, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { commonCatalog, type CommonMessages } from './common';
import { defaultLanguage, languages, type Catalog, type Language, type MessageKey, type MessageTree } from './messages';

export type TranslateVars = Record<string, string | number>;
/** A translate function whose keys are checked against the message tree `T`. */
export type Translate<T> = (key: MessageKey<T>, vars?: TranslateVars) => string;

// Catalogs are typed per app; inside this module they are plain string trees.
type AnyCatalog = Record<Language, MessageTree>;

/**
 * A fresh i18next instance for one language: the shared strings plus the app's own catalog.
 * Synchronous (resources are inline), so the server renders the final text in one pass and
 * the browser hydrates with exactly the same strings.
 */
export function createI18n(lang: Language, catalog?: Catalog<object>): I18n {
  const app = catalog as unknown as AnyCatalog | undefined;
  const common = commonCatalog as unknown as AnyCatalog;
  const resources = Object.fromEntries(
    languages.map((code) => [code, { translation: { ...common[code], ...app?.[code] } }]),
  );
  const instance = createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    resources,
    initAsync: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
  });
  return instance;
}

const translateWith = (instance: I18n) => (key: string, vars?: TranslateVars) =>
  (instance.t as unknown as (key: string, vars?: TranslateVars) => string)(key, vars);

/** For code outside React (loaders building a page title, `meta`). */
export function createTranslator<T extends object = object>(lang: Language, catalog?: Catalog<T>): Translate<CommonMessages & T> {
  return translateWith(createI18n(lang, catalog as Catalog<object> | undefined));
}

/** Provides the language decided by the root loader to everything below it. */
export function I18nProvider({ lang, catalog, children }: { lang: Language; catalog?: Catalog<object>; children: ReactNode }) {
  const instance = useMemo(() => createI18n(lang, catalog), [lang, catalog]);
  return <I18nextProvider i18n={instance}>{children}</I18nextProvider>;
}

/** The one translate function components use: `const t = useT<typeof appEnglish>()`. */
export function useT<T extends object = object>(): Translate<CommonMessages & T> {
  const { i18n } = useTranslation();
  return useCallback<Translate<CommonMessages & T>>((key, vars) => translateWith(i18n)(key, vars), [i18n]);
}

/** The language currently shown. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return (languages as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : defaultLanguage;
}
