import { createTranslator } from '@atrium/ui';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { tr } from '../i18n/tr';
import { describeReset, describeTurnError } from './describe';
import { countdown, resetClock } from './reset-time';

// Both languages, as the server holds them (the browser loads one at a time).
const catalog = { en, tr };

const now = new Date('2026-11-23T19:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('how long until a limit resets', () => {
  it('uses minutes under an hour, hours under two days, then days', () => {
    expect(countdown(new Date(now.getTime() + 20_000), now)).toEqual({ unit: 'soon', count: 0 });
    expect(countdown(new Date(now.getTime() + 14.2 * 60_000), now)).toEqual({ unit: 'minutes', count: 15 });
    expect(countdown(hours(5), now)).toEqual({ unit: 'hours', count: 5 });
    expect(countdown(hours(4.6), now)).toEqual({ unit: 'hours', count: 5 });
    expect(countdown(hours(30), now)).toEqual({ unit: 'hours', count: 30 });
    expect(countdown(hours(24 * 8), now)).toEqual({ unit: 'days', count: 8 });
  });

  it('counts a reset in the past as imminent', () => {
    expect(countdown(hours(-1), now)).toEqual({ unit: 'soon', count: 0 });
  });

  it('shows the clock time within a day and the date beyond, in the reader’s time zone', () => {
    expect(resetClock(hours(5), now, 'en', 'UTC')).toBe('00:00');
    expect(resetClock(hours(5), now, 'en', 'Europe/Istanbul')).toBe('03:00');
    expect(resetClock(new Date('2026-12-01T00:00:00Z'), now, 'en', 'UTC')).toBe('Dec 1, 00:00');
    expect(resetClock(new Date('2026-12-01T00:00:00Z'), now, 'tr', 'UTC')).toBe('1 Ara 00:00');
  });
});

describe('what a refused or failed turn says', () => {
  const en = createTranslator('en', catalog);
  const tr = createTranslator('tr', catalog);
  const daily = {
    kind: 'limit',
    limit: { limit: 'dailyRequests', model: 'demo', max: 100, remaining: 0, resetsAt: hours(5).toISOString() },
  } as const;
  const context = { now, modelName: (id: string) => (id === 'demo' ? 'Demo' : id), timeZone: 'UTC' };

  it('says which limit, for which model, and when it resets, in both languages', () => {
    expect(describeTurnError(en, 'en', daily, context)).toBe(
      "You've used your 100 requests for Demo today. Resets at 00:00 (in 5 h).",
    );
    expect(describeTurnError(tr, 'tr', daily, context)).toBe(
      'Bugün Demo için 100 isteğinizin tamamını kullandınız. Sıfırlanma: 00:00 (5 sa sonra).',
    );
  });

  it('describes the monthly token budget with a date', () => {
    const monthly = {
      kind: 'limit',
      limit: {
        limit: 'monthlyTokens',
        model: 'demo',
        max: 2_000_000,
        remaining: 10,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
    } as const;
    expect(describeTurnError(en, 'en', monthly, context)).toBe(
      "You've used this month's budget of 2,000,000 tokens for Demo. Resets at Dec 1, 00:00 (in 7 d).",
    );
  });

  it('describes a reset under a minute away', () => {
    expect(describeReset(en, 'en', new Date(now.getTime() + 5_000), now, 'UTC')).toBe('19:00 (in under a minute)');
  });

  it('shows the model’s failure and a lost connection plainly', () => {
    expect(
      describeTurnError(en, 'en', { kind: 'upstream', message: 'The model did not answer in time.' }, context),
    ).toBe('The answer failed: The model did not answer in time.');
    expect(describeTurnError(tr, 'tr', { kind: 'connection' }, context)).toBe('Yanıt tamamlanmadan bağlantı koptu.');
  });
});
