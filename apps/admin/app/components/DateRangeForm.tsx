import { buttonClass, TextField, useLanguage } from '@atrium/ui';
import { Form, Link } from '@remix-run/react';
import { daysBetween, type DateRange } from '../dates';
import { formatDay } from '../format';
import { useAdminT } from '../i18n';

export type RangeShortcut = { id: 'last7' | 'last30' | 'last90' | 'thisMonth'; range: DateRange };

/**
 * The period of a page, as a GET form (the range lives in the URL, so it can be shared and works
 * without JavaScript), with one-click shortcuts.
 */
export function DateRangeForm({ range, shortcuts }: { range: DateRange; shortcuts: RangeShortcut[] }) {
  const t = useAdminT();
  const lang = useLanguage();
  const isCurrent = (other: DateRange) => other.from === range.from && other.to === range.to;
  return (
    <div className="flex flex-col gap-4 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm lg:flex-row lg:items-end lg:justify-between dark:border-zinc-800 dark:bg-zinc-900">
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label={t('content.common.range.legend')}>
        <TextField
          label={t('content.common.range.from')}
          type="date"
          name="from"
          defaultValue={range.from}
          required
          key={`from-${range.from}`}
        />
        <TextField
          label={t('content.common.range.to')}
          type="date"
          name="to"
          defaultValue={range.to}
          required
          key={`to-${range.to}`}
        />
        <button type="submit" className={buttonClass('primary')}>
          {t('content.common.range.apply')}
        </button>
      </Form>
      <div className="flex flex-col gap-2 lg:items-end">
        <ul className="flex flex-wrap gap-1.5">
          {shortcuts.map((shortcut) => (
            <li key={shortcut.id}>
              <Link
                to={`?${new URLSearchParams(shortcut.range)}`}
                aria-current={isCurrent(shortcut.range) ? 'true' : undefined}
                className="rounded-full px-3 py-1 text-sm font-medium text-zinc-700 ring-1 ring-zinc-200 ring-inset hover:bg-zinc-50 aria-[current]:bg-accent-50 aria-[current]:text-accent-700 aria-[current]:ring-accent-200 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:aria-[current]:bg-accent-950 dark:aria-[current]:text-accent-300"
              >
                {t(`content.common.range.${shortcut.id}`)}
              </Link>
            </li>
          ))}
        </ul>
        <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="range-summary">
          {t('content.common.range.showing', {
            from: formatDay(range.from, lang, true),
            to: formatDay(range.to, lang, true),
            days: daysBetween(range),
          })}
        </p>
      </div>
    </div>
  );
}
