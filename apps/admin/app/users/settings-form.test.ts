import { describe, expect, it } from 'vitest';
import { usersQuery } from './search-params';
import { limitField, parseLimits, parsePermissions, parseUnlocks, permissionField } from './settings-form';

const formOf = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
};

describe("reading the user page's limits form", () => {
  it('keeps only the numbers an admin typed, per model', () => {
    const form = formOf([
      [limitField('daily', 'demo'), '50'],
      [limitField('monthly', 'demo'), ''],
      [limitField('daily', 'groq'), ''],
      [limitField('monthly', 'groq'), '2 000 000'],
      [limitField('daily', 'openai'), ''],
      [limitField('monthly', 'openai'), ''],
    ]);
    expect(parseLimits(form, ['demo', 'groq', 'openai'], {})).toEqual({
      limits: { demo: { dailyRequestLimit: 50 }, groq: { monthlyTokenLimit: 2_000_000 } },
      errors: {},
    });
  });

  it('allows 0 (no use of that model) and keeps overrides of models no longer listed', () => {
    const form = formOf([[limitField('daily', 'demo'), '0']]);
    expect(parseLimits(form, ['demo'], { retired: { dailyRequestLimit: 3 }, demo: { dailyRequestLimit: 9 } }).limits).toEqual({
      retired: { dailyRequestLimit: 3 },
      demo: { dailyRequestLimit: 0 },
    });
  });

  it('points at each cell that is not a whole number from 0', () => {
    const form = formOf([
      [limitField('daily', 'demo'), '-1'],
      [limitField('monthly', 'demo'), '1.5'],
      [limitField('daily', 'groq'), 'lots'],
      [limitField('monthly', 'groq'), '99999999999'],
    ]);
    expect(parseLimits(form, ['demo', 'groq'], {}).errors).toEqual({
      'daily:demo': 'invalid',
      'monthly:demo': 'invalid',
      'daily:groq': 'invalid',
      'monthly:groq': 'invalid',
    });
  });
});

describe('reading permissions and unlocks', () => {
  it('saves every permission explicitly', () => {
    const form = formOf([[permissionField('uploadImages'), 'on']]);
    expect(parsePermissions(form)).toEqual({ uploadDocuments: false, uploadImages: true, useCustomStyles: false, exportData: false, createApiKeys: false, seeAnswerUsage: false });
  });

  it('keeps, switches, removes and adds unlocks', () => {
    const form = formOf([
      ['unlockKeys', 'beta.images'],
      ['unlockOn:beta.images', 'on'],
      ['unlockKeys', 'old'],
      ['unlockRemove:old', 'on'],
      ['unlockKeys', 'paused'],
      ['newUnlockKey', 'models.gpt'],
      ['newUnlockOn', 'on'],
    ]);
    expect(parseUnlocks(form)).toEqual({ unlocks: { 'beta.images': true, paused: false, 'models.gpt': true }, error: null });
  });

  it('refuses a new key the API would refuse', () => {
    expect(parseUnlocks(formOf([['newUnlockKey', 'has space']])).error).toBe('invalid');
    expect(parseUnlocks(formOf([['newUnlockKey', 'x'.repeat(65)]])).error).toBe('invalid');
  });
});

describe("the users page's query string", () => {
  it('becomes a search with paging', () => {
    expect(usersQuery(new URLSearchParams('q= ayse &role=staff&status=banned&page=3'))).toEqual({
      page: 3,
      input: { query: 'ayse', role: 'staff', banned: true, limit: 25, offset: 50 },
    });
  });

  it('ignores what it does not understand', () => {
    expect(usersQuery(new URLSearchParams('role=root&status=maybe&page=-4'))).toEqual({
      page: 1,
      input: { query: undefined, role: undefined, banned: undefined, limit: 25, offset: 0 },
    });
  });
});
