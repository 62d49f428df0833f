import { createTranslator } from '@atrium/ui';
import { missingTranslations } from '@atrium/ui/testing';
import { describe, expect, it } from 'vitest';
import { catalog } from './i18n';

describe("the admin app's strings", () => {
  it('has a Turkish string for every English one, with the same variables', () => {
    expect(missingTranslations(catalog)).toEqual([]);
  });

  it('fills the product name into the page title in both languages', () => {
    expect(createTranslator('en', catalog)('admin.meta.title', { product: 'Atrium' })).toBe('Atrium admin');
    expect(createTranslator('tr', catalog)('admin.meta.title', { product: 'Atrium' })).toBe('Atrium yönetim paneli');
  });
});
