import { createTranslator } from '@atrium/ui';
import { missingTranslations } from '@atrium/ui/testing';
import { describe, expect, it } from 'vitest';
import { en } from './i18n/en';
import { tr } from './i18n/tr';

// Both languages, as the server holds them (the browser loads one at a time).
const catalog = { en, tr };

describe("the web app's strings", () => {
  it('has a Turkish string for every English one, with the same variables', () => {
    expect(missingTranslations(catalog)).toEqual([]);
  });

  it('fills the product name into the page title in both languages', () => {
    expect(createTranslator('en', catalog)('web.meta.title', { product: 'Atrium' })).toBe(
      'Atrium · AI assistant for the university',
    );
    expect(createTranslator('tr', catalog)('web.meta.title', { product: 'Atrium' })).toBe(
      'Atrium · Üniversitenin yapay zekâ asistanı',
    );
  });
});
