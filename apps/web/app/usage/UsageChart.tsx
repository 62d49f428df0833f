import type { Language } from '@atrium/ui';
import { useId } from 'react';
import { formatCompact, formatNumber } from '../chat/reset-time';
import { useWebT } from '../i18n';

export type DayModelRow = { date: string; model: string; requests: number; promptTokens: number; completionTokens: number };

/** Bar colours by model, in the order models first appear; the legend and the table name them. */
const PALETTE = ['#4f46e5', '#0891b2', '#d97706', '#16a34a', '#db2777', '#7c3aed', '#64748b'];
export const colourOf = (index: number) => PALETTE[index % PALETTE.length]!;

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 24, left: 48 };

/**
 * Tokens per day of a month, stacked by model: plain SVG drawn on the server (no chart library
 * in the bundle). Each bar has a title for pointer users; the table under it is the accessible
 * reading of the same numbers, so the picture itself is one labelled image.
 */
export function UsageChart({
  days,
  rows,
  models,
  monthLabel,
  lang,
}: {
  days: string[];
  rows: DayModelRow[];
  models: { id: string; displayName: string }[];
  monthLabel: string;
  lang: Language;
}) {
  const t = useWebT();
  const id = useId();
  const totals = days.map((day) => {
    const ofDay = rows.filter((row) => row.date === day);
    return {
      day,
      requests: ofDay.reduce((sum, row) => sum + row.requests, 0),
      tokens: ofDay.reduce((sum, row) => sum + row.promptTokens + row.completionTokens, 0),
      stacks: models.map((model) => {
        const row = ofDay.find((entry) => entry.model === model.id);
        return row ? row.promptTokens + row.completionTokens : 0;
      }),
    };
  });
  const max = Math.max(0, ...totals.map((day) => day.tokens));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / days.length;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => (max === 0 ? 0 : (value / max) * plotHeight);

  return (
    <figure className="space-y-3">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full text-zinc-400 dark:text-zinc-500"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        data-testid="usage-chart"
      >
        <title id={`${id}-title`}>{t('web.usage.chart.title')}</title>
        <desc id={`${id}-desc`}>
          {max === 0 ? t('web.usage.chart.empty', { month: monthLabel }) : t('web.usage.chart.description', { month: monthLabel })}
        </desc>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={PAD.top + plotHeight - share * plotHeight}
              y2={PAD.top + plotHeight - share * plotHeight}
              stroke="currentColor"
              strokeOpacity={share === 0 ? 0.6 : 0.25}
            />
            <text x={PAD.left - 6} y={PAD.top + plotHeight - share * plotHeight + 4} textAnchor="end" fontSize="11" fill="currentColor">
              {formatCompact(Math.round(max * share), lang)}
            </text>
          </g>
        ))}
        {totals.map((day, index) => {
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          let base = PAD.top + plotHeight;
          return (
            <g key={day.day} data-day={day.day} data-tokens={day.tokens}>
              <title>
                {t('web.usage.chart.bar', { day: day.day, tokens: formatNumber(day.tokens, lang), requests: formatNumber(day.requests, lang) })}
              </title>
              {day.stacks.map((tokens, modelIndex) => {
                if (tokens === 0) return null;
                const height = Math.max(1, y(tokens));
                base -= height;
                return <rect key={models[modelIndex]!.id} x={x} y={base} width={barWidth} height={height} rx={1.5} fill={colourOf(modelIndex)} />;
              })}
              {index % 5 === 0 || index === days.length - 1 ? (
                <text x={x + barWidth / 2} y={HEIGHT - 6} textAnchor="middle" fontSize="11" fill="currentColor">
                  {Number(day.day.slice(8))}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      {models.length > 0 ? (
        <figcaption>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
            {models.map((model, index) => (
              <li key={model.id} className="inline-flex items-center gap-1.5">
                <span className="size-2.5 rounded-sm" style={{ backgroundColor: colourOf(index) }} aria-hidden="true" />
                {model.displayName}
              </li>
            ))}
          </ul>
        </figcaption>
      ) : null}
    </figure>
  );
}
