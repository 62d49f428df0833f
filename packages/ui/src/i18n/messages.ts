/** The languages the apps speak; English is the source and the fallback. */
export const languages = ['en', 'tr'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'en';

export const languageNames: Record<Language, string> = { en: 'English', tr: 'Türkçe' };

export const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

/** A translation of `T`: the same keys, every leaf a string (the compiler reports a missing key). */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

/** Every dotted key of a message tree: `'shell.skipToContent' | 'health.ok' | …`. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${MessageKey<T[K]>}`;
}[keyof T & string];

/** One app's strings in every language, English first. */
export type Catalog<T extends object> = { en: T } & { [L in Exclude<Language, 'en'>]: Messages<T> };

export type MessageTree = { [key: string]: string | MessageTree };
