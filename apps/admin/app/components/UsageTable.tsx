import { useLanguage } from '@atrium/ui';
import { shareOf } from '../analytics';
import { formatCost, formatNumber, formatPercent } from '../format';
import { useAdminT } from '../i18n';

type Row = {
  key: string;
  label: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  users?: number;
};

const cell = 'px-4 py-2.5 text-right tabular-nums';

/**
 * Usage per group as a table: the numbers behind a chart, or the top-users list. With
 * `totalCostMicros`, each row also shows its share of the period's cost.
 */
export function UsageTable({
  rows,
  groupLabel,
  caption,
  totalCostMicros,
  showUsers = false,
}: {
  rows: Row[];
  groupLabel: string;
  caption: string;
  totalCostMicros?: number;
  showUsers?: boolean;
}) {
  const t = useAdminT();
  const lang = useLanguage();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left font-medium">
              {groupLabel}
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              {t('content.analytics.requests')}
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              {t('content.analytics.tokens')}
            </th>
            <th scope="col" className={`${cell} font-medium`}>
              {t('content.analytics.cost')}
            </th>
            {showUsers ? (
              <th scope="col" className={`${cell} font-medium`}>
                {t('content.analytics.users')}
              </th>
            ) : null}
            {totalCostMicros !== undefined ? (
              <th scope="col" className={`${cell} font-medium`}>
                {t('content.analytics.share')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row" className="px-4 py-2.5 text-left font-medium">
                {row.label}
              </th>
              <td className={cell}>{formatNumber(row.requests, lang)}</td>
              <td className={cell}>{formatNumber(row.promptTokens + row.completionTokens, lang)}</td>
              <td className={cell}>{formatCost(row.costMicros, lang)}</td>
              {showUsers ? <td className={cell}>{formatNumber(row.users ?? 0, lang)}</td> : null}
              {totalCostMicros !== undefined ? (
                <td className={cell}>{formatPercent(shareOf(row.costMicros, totalCostMicros), lang)}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
