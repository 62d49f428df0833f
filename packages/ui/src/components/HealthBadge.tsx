import { trpc } from '../trpc';
import { useLanguage, useT } from '../i18n/i18n';

const tones = {
  pending: 'bg-zinc-100 text-zinc-700 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700',
  ok: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-900',
  down: 'bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-900',
} as const;
const dots = { pending: 'bg-zinc-400 animate-pulse', ok: 'bg-emerald-500', down: 'bg-rose-500' } as const;

/**
 * The live service status, asked from the browser through tRPC (`health.check`): the page renders
 * "Checking…" on the server and the answer arrives after hydration.
 */
export function HealthBadge({ className = '' }: { className?: string }) {
  const t = useT();
  const lang = useLanguage();
  const health = trpc.health.check.useQuery(undefined, { refetchInterval: 60_000 });
  const state = health.isPending ? 'pending' : health.data?.status === 'ok' ? 'ok' : 'down';
  const label = state === 'pending' ? t('health.checking') : state === 'ok' ? t('health.ok') : t('health.down');
  const checkedAt = health.data ? t('health.checkedAt', { time: health.data.time.toLocaleTimeString(lang) }) : undefined;
  return (
    <span
      role="status"
      aria-live="polite"
      data-status={state}
      title={checkedAt}
      className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${tones[state]} ${className}`}
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${dots[state]}`} />
      <span className="sr-only">{t('health.label')}: </span>
      {label}
    </span>
  );
}
