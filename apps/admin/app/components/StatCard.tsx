import type { ReactNode } from 'react';

/** One figure on the dashboard: a label, the value, and a line saying where it comes from. */
export function StatCard({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  return (
    <div className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-sm font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-3 text-lg font-semibold tracking-tight">{children}</dd>
      <dd className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</dd>
    </div>
  );
}
