import { forwardRef, type ReactNode, type TextareaHTMLAttributes } from 'react';

/** A labelled multi-line input, in the shared fields' style (`@atrium/ui` has no textarea yet). */
export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  { label: ReactNode; name: string; id?: string; hint?: ReactNode; error?: string; className?: string } & Omit<
    TextareaHTMLAttributes<HTMLTextAreaElement>,
    'id' | 'name'
  >
>(function TextAreaField({ label, name, id = name, hint, error, className = '', ...textarea }, ref) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="mt-1.5 block w-full rounded-lg border-0 bg-white px-3 py-2 font-mono text-sm leading-relaxed text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-accent-500 focus:outline-none aria-invalid:ring-rose-500 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700"
        {...textarea}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-rose-700 dark:text-rose-400">
          {error}
        </p>
      ) : null}
    </div>
  );
});
