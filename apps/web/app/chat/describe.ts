import type { Language } from '@atrium/ui';
import type { useWebT } from '../i18n';
import { countdown, formatNumber, resetClock } from './reset-time';
import type { TurnError } from './turn';

export type WebTranslate = ReturnType<typeof useWebT>;

/** "00:00 (in 5 h)": when something resets, by the clock and from now. */
export function describeReset(t: WebTranslate, lang: Language, resetsAt: Date | string, now: Date, timeZone?: string): string {
  const at = new Date(resetsAt);
  const clock = resetClock(at, now, lang, timeZone);
  const left = countdown(at, now);
  return t(`web.chat.when.${left.unit}`, { clock, count: left.count });
}

/** What the user reads when a turn did not work out. */
export function describeTurnError(
  t: WebTranslate,
  lang: Language,
  error: TurnError,
  context: { now: Date; modelName: (id: string) => string; timeZone?: string },
): string {
  switch (error.kind) {
    case 'limit': {
      const { limit } = error;
      const when = describeReset(t, lang, limit.resetsAt, context.now, context.timeZone);
      const values = { max: formatNumber(limit.max, lang), model: context.modelName(limit.model), when };
      return limit.limit === 'dailyRequests' ? t('web.chat.errors.dailyLimit', values) : t('web.chat.errors.monthlyLimit', values);
    }
    case 'upstream':
      return t('web.chat.messages.failed', { error: error.message });
    case 'connection':
      return t('web.chat.messages.connectionLost');
    case 'refused':
      if (error.code === 'NOT_FOUND') return t('web.chat.errors.notFound');
      if (error.code === 'INTERNAL_SERVER_ERROR') return t('web.chat.errors.generic');
      return t('web.chat.errors.refused', { message: error.message });
  }
}
