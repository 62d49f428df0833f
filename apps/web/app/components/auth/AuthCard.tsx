import { Logo } from '@atrium/ui';
import type { ReactNode } from 'react';

/** The centred card the sign-in and registration pages share. */
export function AuthCard({ title, lead, children, footer }: { title: string; lead?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="relative">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 -top-24 -z-10 mx-auto h-80 max-w-2xl rounded-full bg-gradient-to-tr from-accent-200 via-accent-100 to-transparent opacity-50 blur-3xl dark:from-accent-900 dark:via-accent-950 dark:opacity-40"
      />
      <div className="mx-auto w-full max-w-md px-4 py-12 sm:py-16">
        <div className="flex flex-col items-center text-center">
          <Logo className="size-11" />
          <h1 className="mt-5 text-2xl font-semibold tracking-tight text-balance">{title}</h1>
          {lead ? <p className="mt-2 text-sm leading-6 text-pretty text-zinc-600 dark:text-zinc-400">{lead}</p> : null}
        </div>
        <div className="mt-8 rounded-2xl border border-zinc-200 bg-white p-6 shadow-xl shadow-zinc-900/5 sm:p-8 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-black/30">
          {children}
        </div>
        {footer ? <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{footer}</p> : null}
      </div>
    </div>
  );
}

/** A link inside running text, in the accent colour. */
export const textLink = 'font-semibold text-accent-700 underline-offset-4 hover:underline dark:text-accent-300';
