import { trpc, useLanguage } from '@atrium/ui';
import { describeReset } from '../../chat/describe';
import { formatCompact, formatNumber } from '../../chat/reset-time';
import { formatBytes } from '../../chat/uploads';
import { useNow } from '../../chat/use-now';
import { useWebT } from '../../i18n';

const LOW_SHARE = 0.1;

/**
 * What is left of today's requests and this month's tokens for the chosen model, and when each
 * resets. Drawn in the browser only: reset times are in the reader's own time zone.
 */
export function QuotaIndicator({ modelId }: { modelId: string | null }) {
  const t = useWebT();
  const lang = useLanguage();
  const now = useNow();
  const usage = trpc.usage.mine.useQuery(undefined, { staleTime: 30_000 });
  const storage = trpc.attachments.storage.useQuery(undefined, { staleTime: 30_000 });
  const row = usage.data?.find((entry) => entry.model.id === modelId);
  if (!row || !now) return <div className="mt-1 h-4" aria-hidden="true" />;
  const files = storage.data;

  const { today, month } = row;
  const low = (remaining: number | null, limit: number | null) => limit !== null && remaining !== null && remaining <= limit * LOW_SHARE;
  const tone = (isLow: boolean) => (isLow ? 'text-amber-700 dark:text-amber-400 font-medium' : '');
  return (
    <section
      aria-label={t('web.chat.quota.label', { model: row.model.displayName })}
      data-testid="quota"
      className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 px-1 text-xs text-zinc-500 dark:text-zinc-400"
    >
      <p className={tone(low(today.remaining, today.limit))}>
        {today.limit === null
          ? t('web.chat.quota.requestsUnlimited')
          : `${t('web.chat.quota.requests', { remaining: formatNumber(today.remaining ?? 0, lang), max: formatNumber(today.limit, lang) })} · ${t(
              'web.chat.quota.resets',
              { when: describeReset(t, lang, today.resetsAt, now) },
            )}`}
      </p>
      <p className={tone(low(month.remaining, month.limit))}>
        {month.limit === null
          ? t('web.chat.quota.tokensUnlimited')
          : `${t('web.chat.quota.tokens', { remaining: formatCompact(month.remaining ?? 0, lang), max: formatCompact(month.limit, lang) })} · ${t(
              'web.chat.quota.resets',
              { when: describeReset(t, lang, month.resetsAt, now) },
            )}`}
      </p>
      {files ? (
        <p data-testid="storage" className={tone(low(files.quotaBytes === null ? null : files.quotaBytes - files.usedBytes, files.quotaBytes))}>
          {files.quotaBytes === null
            ? t('web.attachments.storageUnlimited', { used: formatBytes(files.usedBytes, lang) })
            : t('web.attachments.storage', { used: formatBytes(files.usedBytes, lang), quota: formatBytes(files.quotaBytes, lang) })}
        </p>
      ) : null}
    </section>
  );
}
