import { trpc, useLanguage } from '@atrium/ui';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useClientErrorMessage } from '../action-messages';
import { useAdminT } from '../i18n';
import { formatLimit, parseLimit, type LimitInput } from '../limits-cell';

type Limits = { dailyRequestLimit: number | null; monthlyTokenLimit: number | null };
type Status = 'idle' | 'saving' | 'saved' | 'failed';

const same = (a: Limits, b: Limits) =>
  a.dailyRequestLimit === b.dailyRequestLimit && a.monthlyTokenLimit === b.monthlyTokenLimit;

/**
 * One (model, role) pair of the limits matrix: requests per day and tokens per month. It saves
 * by itself on Enter or when focus leaves an input, one save at a time (the latest values win),
 * and says so next to the inputs.
 */
export function LimitCell({
  modelId,
  modelName,
  role,
  roleName,
  initial,
}: {
  modelId: string;
  modelName: string;
  role: 'student' | 'staff' | 'admin';
  roleName: string;
  initial: Limits;
}) {
  const t = useAdminT();
  const lang = useLanguage();
  const errorMessage = useClientErrorMessage();
  const [texts, setTexts] = useState({
    daily: formatLimit(initial.dailyRequestLimit, lang),
    monthly: formatLimit(initial.monthlyTokenLimit, lang),
  });
  const [status, setStatus] = useState<Status>('idle');
  const [problem, setProblem] = useState<{ field: 'daily' | 'monthly' | null; message: string } | null>(null);
  const saved = useRef<Limits>(initial);
  const inFlight = useRef(false);
  const queued = useRef<Limits | null>(null);
  const set = trpc.rateLimits.admin.set.useMutation();

  const send = async (limits: Limits) => {
    inFlight.current = true;
    setStatus('saving');
    try {
      await set.mutateAsync({ modelId, role, ...limits });
      saved.current = limits;
      setStatus('saved');
    } catch (error) {
      setStatus('failed');
      setProblem({ field: null, message: errorMessage(error) });
    } finally {
      inFlight.current = false;
    }
    const next = queued.current;
    queued.current = null;
    if (next && !same(next, saved.current)) await send(next);
  };

  const reason = (input: LimitInput) => (input.ok ? null : t(`content.limits.errors.${input.reason}`));

  const save = () => {
    const daily = parseLimit(texts.daily, lang);
    const monthly = parseLimit(texts.monthly, lang);
    if (!daily.ok || !monthly.ok) {
      setStatus('failed');
      setProblem({ field: daily.ok ? 'monthly' : 'daily', message: (reason(daily) ?? reason(monthly))! });
      return;
    }
    const limits = { dailyRequestLimit: daily.value, monthlyTokenLimit: monthly.value };
    setProblem(null);
    setTexts({
      daily: formatLimit(limits.dailyRequestLimit, lang),
      monthly: formatLimit(limits.monthlyTokenLimit, lang),
    });
    if (inFlight.current) {
      queued.current = limits;
      return;
    }
    if (same(limits, saved.current)) {
      if (status === 'failed') setStatus('idle');
      return;
    }
    void send(limits);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save();
    }
  };

  const input = (field: 'daily' | 'monthly', what: string, width: string) => (
    <input
      type="text"
      inputMode="text"
      autoComplete="off"
      aria-label={t('content.limits.cellLabel', { model: modelName, role: roleName, what })}
      aria-invalid={problem?.field === field ? true : undefined}
      aria-describedby={`${modelId}-${role}-status`}
      // Empty is unlimited; the sign says so without crowding the narrow cell.
      placeholder="∞"
      title={texts[field] === '' ? t('content.common.unlimited') : undefined}
      value={texts[field]}
      onChange={(event) => {
        const value = event.target.value;
        setTexts((current) => ({ ...current, [field]: value }));
      }}
      onBlur={save}
      onKeyDown={onKeyDown}
      className={`block w-full ${width} rounded-lg border-0 bg-white px-3 py-1.5 text-right text-sm text-zinc-900 tabular-nums shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-accent-500 focus:outline-none aria-invalid:ring-rose-500 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700`}
    />
  );

  // Two table cells: the pair is saved together, and the second cell says how that went.
  return (
    <>
      <td className="py-3 pr-2 pl-4">{input('daily', t('content.limits.requestsWhat'), 'min-w-20')}</td>
      <td className="py-3 pr-4 pl-2">
        {input('monthly', t('content.limits.tokensWhat'), 'min-w-32')}
        <p
          id={`${modelId}-${role}-status`}
          role="status"
          className="mt-1 min-h-4 text-right text-xs"
          data-status={status}
        >
          {status === 'saving' ? <span className="text-zinc-500">{t('content.limits.status.saving')}</span> : null}
          {status === 'saved' ? (
            <span className="text-emerald-700 dark:text-emerald-400">
              ✓ {t('content.limits.status.saved')}
              <span className="sr-only">
                {' '}
                {t('content.limits.announceSaved', { model: modelName, role: roleName })}
              </span>
            </span>
          ) : null}
          {status === 'failed' ? (
            <span className="text-rose-700 dark:text-rose-300">
              {t('content.limits.status.failed')}: {problem?.message}
            </span>
          ) : null}
        </p>
      </td>
    </>
  );
}
