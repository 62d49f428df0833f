import { useLanguage } from '@atrium/ui';
import { useSyncExternalStore, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCompact, formatCost, formatDay, formatNumber } from '../format';
import { useAdminT } from '../i18n';

/**
 * Two colours that read in light and dark mode: the accent for requests, teal for cost. Charts
 * do not animate: the numbers are what matters, and motion bothers some readers.
 */
const REQUESTS = '#6366f1';
const COST = '#14b8a6';

const noop = () => () => {};
/** Charts measure their container, so they draw in the browser only; the server leaves their space empty. */
function useHydrated() {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

function ChartFrame({ height, children }: { height: number; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div style={{ height }} className="text-zinc-500 dark:text-zinc-400" aria-hidden="true">
      {hydrated ? (
        <ResponsiveContainer width="100%" height="100%">
          {children as never}
        </ResponsiveContainer>
      ) : null}
    </div>
  );
}

type TooltipEntry = { dataKey?: unknown; value?: unknown; name?: unknown; color?: string };

function ChartTooltip({
  active,
  payload,
  label,
  title,
}: {
  active?: boolean;
  payload?: TooltipEntry[];
  label?: unknown;
  title: (label: string) => string;
}) {
  const lang = useLanguage();
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="mb-1 font-semibold">{title(String(label))}</p>
      {payload.map((entry) => (
        <p key={String(entry.dataKey)} className="flex items-center gap-2">
          <span className="size-2 rounded-full" style={{ background: entry.color }} />
          {String(entry.name)}:{' '}
          {entry.dataKey === 'costMicros'
            ? formatCost(Number(entry.value), lang)
            : formatNumber(Number(entry.value), lang)}
        </p>
      ))}
    </div>
  );
}

const axisTick = { fill: 'currentColor', fontSize: 12 };

/** Requests (bars, left axis) and cost (line, right axis) for every day of the period. */
export function DailyUsageChart({ data }: { data: { day: string; requests: number; costMicros: number }[] }) {
  const t = useAdminT();
  const lang = useLanguage();
  return (
    <ChartFrame height={288}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis
          dataKey="day"
          tick={axisTick}
          tickFormatter={(day: string) => formatDay(day, lang)}
          minTickGap={24}
          stroke="currentColor"
          strokeOpacity={0.3}
        />
        <YAxis
          yAxisId="requests"
          tick={axisTick}
          tickFormatter={(value: number) => formatCompact(value, lang)}
          allowDecimals={false}
          width={48}
          stroke="currentColor"
          strokeOpacity={0.3}
        />
        <YAxis
          yAxisId="cost"
          orientation="right"
          tick={axisTick}
          tickFormatter={(value: number) => formatCost(value, lang)}
          width={72}
          stroke="currentColor"
          strokeOpacity={0.3}
        />
        <Tooltip
          content={<ChartTooltip title={(day) => formatDay(day, lang, true)} />}
          cursor={{ fill: 'currentColor', fillOpacity: 0.06 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          yAxisId="requests"
          dataKey="requests"
          name={t('content.analytics.requests')}
          fill={REQUESTS}
          radius={[3, 3, 0, 0]}
          maxBarSize={28}
          isAnimationActive={false}
        />
        <Line
          yAxisId="cost"
          dataKey="costMicros"
          name={t('content.analytics.cost')}
          stroke={COST}
          strokeWidth={2}
          dot={false}
          type="monotone"
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}

/** Requests and cost per group (a model, a role) as pairs of horizontal bars, each on its own scale. */
export function BreakdownChart({ data }: { data: { label: string; requests: number; costMicros: number }[] }) {
  const t = useAdminT();
  const height = Math.max(140, data.length * 56 + 48);
  return (
    <ChartFrame height={height}>
      <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barGap={2}>
        <CartesianGrid stroke="currentColor" strokeOpacity={0.15} horizontal={false} />
        <XAxis xAxisId="requests" type="number" hide />
        <XAxis xAxisId="cost" type="number" hide />
        <YAxis type="category" dataKey="label" tick={axisTick} width={140} stroke="currentColor" strokeOpacity={0.3} />
        <Tooltip
          content={<ChartTooltip title={(label) => label} />}
          cursor={{ fill: 'currentColor', fillOpacity: 0.06 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          xAxisId="requests"
          dataKey="requests"
          name={t('content.analytics.requests')}
          fill={REQUESTS}
          radius={[0, 3, 3, 0]}
          maxBarSize={18}
          isAnimationActive={false}
        />
        <Bar
          xAxisId="cost"
          dataKey="costMicros"
          name={t('content.analytics.cost')}
          fill={COST}
          radius={[0, 3, 3, 0]}
          maxBarSize={18}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFrame>
  );
}
