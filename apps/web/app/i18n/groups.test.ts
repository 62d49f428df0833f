import { createTranslator } from '@atrium/ui';
import { describe, expect, it } from 'vitest';
import { catalog, loadCatalog, loadPageStrings } from '../i18n';
import { en as accountEn } from './groups/account.en';
import { en as coreEn } from './groups/core.en';
import { en as homeEn } from './groups/home.en';
import { en as stylesEn } from './groups/styles.en';
import { pageStringGroups } from './groups';

describe("the web app's strings groups", () => {
  it('gives the chat only the core, the landing, account and styles pages their own group besides', () => {
    expect(pageStringGroups('/chat')).toEqual(['core']);
    expect(pageStringGroups('/chat/0b0e6c1e-5a5e-4f57-9d52-1f0f3c3b0a11')).toEqual(['core']);
    expect(pageStringGroups('/shared/abc')).toEqual(['core']);
    expect(pageStringGroups('/')).toEqual(['core', 'home']);
    for (const path of ['/login', '/register', '/account', '/account/usage', '/account-deleted'])
      expect(pageStringGroups(path)).toEqual(['core', 'account']);
    expect(pageStringGroups('/styles')).toEqual(['core', 'styles']);
    expect(pageStringGroups('/accounting')).toEqual(['core']);
  });

  it('keeps each namespace in one group, so loading a group never overwrites another', () => {
    const namespaces = [coreEn, accountEn, homeEn, stylesEn].flatMap((group) => Object.keys(group.web));
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });

  it("loads a page's group in the language shown, next to what was loaded before", async () => {
    await loadCatalog('tr', ['core']);
    const t = () => createTranslator('tr', catalog);
    expect(t()('web.chat.nav')).toBe('Sohbet');
    expect(t()('web.usage.title')).toBe('web.usage.title');
    // @atrium/ui's shared strings come with the core, in the language shown only.
    expect(t()('shell.skipToContent')).toBe('Ana içeriğe geç');
    await loadPageStrings('/account/usage');
    expect(t()('web.usage.title')).toBe('Kullanımım');
    expect(t()('web.chat.nav')).toBe('Sohbet');
    expect(catalog.en).toBeUndefined();
  });
});
