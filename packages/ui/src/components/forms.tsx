import { useEffect, useRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useT } from '../i18n/i18n';
import { buttonClass, type ButtonVariant } from './button-class';

/**
 * Form pieces both apps share. Every input has a label; a hint and an error are linked to it with
 * `aria-describedby`, and `aria-invalid` marks the field the error belongs to.
 */

export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'md' | 'sm' }) {
  return <button type={type} className={`${buttonClass(variant, size)} ${className}`} {...props} />;
}

const control =
  'block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-accent-500 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500 aria-invalid:ring-rose-500 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:disabled:bg-zinc-800 dark:aria-invalid:ring-rose-500';

/** The ids a field's hint and error get, and the `aria-describedby` that names them. */
function describedBy(id: string, hint: ReactNode, error: string | undefined) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="mt-1.5 flex items-start gap-1.5 text-sm text-rose-700 dark:text-rose-400">
      <svg viewBox="0 0 20 20" aria-hidden="true" className="mt-0.5 size-4 shrink-0" fill="currentColor">
        <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm0 4a1 1 0 0 1 1 1v3.5a1 1 0 1 1-2 0V7a1 1 0 0 1 1-1zm0 7.5a1.1 1.1 0 1 1 0 2.2 1.1 1.1 0 0 1 0-2.2z" />
      </svg>
      <span>{error}</span>
    </p>
  );
}

type FieldProps = {
  label: ReactNode;
  name: string;
  /** Defaults to the name; give one when a page has two fields with the same name. */
  id?: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Shows "(optional)" after the label. */
  optional?: boolean;
};

function Label({ id, label, optional }: { id: string; label: ReactNode; optional?: boolean }) {
  const t = useT();
  return (
    <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
      {label}
      {optional ? <span className="font-normal text-zinc-500 dark:text-zinc-400"> ({t('form.optional')})</span> : null}
    </label>
  );
}

/** A labelled text input (text, email, password, search, number…). */
export function TextField({
  label,
  name,
  id = name,
  hint,
  error,
  optional,
  className = '',
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'>) {
  return (
    <div className={className}>
      <Label id={id} label={label} optional={optional} />
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`mt-1.5 ${control}`}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** A labelled select. */
export function SelectField({
  label,
  name,
  id = name,
  hint,
  error,
  optional,
  className = '',
  children,
  ...select
}: FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'>) {
  return (
    <div className={className}>
      <Label id={id} label={label} optional={optional} />
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`mt-1.5 ${control} pr-8`}
        {...select}
      >
        {children}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** A checkbox with its label beside it and an optional hint below. */
export function CheckboxField({
  label,
  name,
  id = name,
  hint,
  error,
  className = '',
  ...input
}: Omit<FieldProps, 'optional'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'type'>) {
  return (
    <div className={`flex items-start gap-3 ${className}`}>
      <input
        id={id}
        name={name}
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-accent-600 dark:border-zinc-600"
        {...input}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-zinc-500 dark:text-zinc-400">
            {hint}
          </p>
        ) : null}
        <FieldError id={id} error={error} />
      </div>
    </div>
  );
}

/** Moves keyboard and screen-reader focus to an element whenever `key` changes (a new answer). */
export function useFocusOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  return ref;
}

/**
 * What went wrong with a form, at its top: a sentence for the whole form and a link to each field
 * that needs attention. It takes focus when it appears (`focusKey`, e.g. the action's answer), so
 * keyboard and screen-reader users land on it after submitting.
 */
export function ErrorSummary({
  title,
  message,
  fields = [],
  focusKey,
}: {
  title?: string;
  message?: ReactNode;
  fields?: { id: string; message: string }[];
  focusKey: unknown;
}) {
  const t = useT();
  const ref = useFocusOnChange<HTMLDivElement>(focusKey);
  if (!message && fields.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      data-testid="error-summary"
      className="rounded-xl border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-500 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-100"
    >
      <p id="error-summary-title" className="font-semibold">
        {title ?? t('form.errorSummary')}
      </p>
      {message ? <p className="mt-1">{message}</p> : null}
      {fields.length ? (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {fields.map((field) => (
            <li key={field.id}>
              <a href={`#${field.id}`} className="underline underline-offset-2 hover:no-underline">
                {field.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const tones = {
  success: 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100',
  info: 'border-accent-200 bg-accent-50 text-accent-900 dark:border-accent-900 dark:bg-accent-950/60 dark:text-accent-100',
  warning: 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100',
} as const;

/** A polite message (saved, signed out…); with `focusKey` it takes focus when it appears. */
export function Notice({
  tone = 'info',
  title,
  children,
  focusKey,
  className = '',
}: {
  tone?: keyof typeof tones;
  title?: ReactNode;
  children?: ReactNode;
  focusKey?: unknown;
  className?: string;
}) {
  const ref = useFocusOnChange<HTMLDivElement>(focusKey);
  return (
    <div
      ref={ref}
      tabIndex={focusKey ? -1 : undefined}
      role="status"
      className={`rounded-xl border p-4 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-accent-500 ${tones[tone]} ${className}`}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? 'mt-1' : undefined}>{children}</div> : null}
    </div>
  );
}

/** A titled white panel, the building block of settings-like pages. */
export function Panel({
  title,
  description,
  children,
  footer,
  id,
  tone = 'default',
}: {
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  id?: string;
  tone?: 'default' | 'danger';
}) {
  const border = tone === 'danger' ? 'border-rose-200 dark:border-rose-900/70' : 'border-zinc-200 dark:border-zinc-800';
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section aria-labelledby={headingId} className={`rounded-2xl border bg-white shadow-sm dark:bg-zinc-900 ${border}`}>
      <div className="px-5 pt-5 sm:px-6">
        <h2 id={headingId} className="text-base font-semibold">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      </div>
      {children ? <div className="px-5 py-5 sm:px-6">{children}</div> : <div className="pb-5" />}
      {footer ? (
        <div className={`flex flex-wrap items-center justify-end gap-3 rounded-b-2xl border-t bg-zinc-50 px-5 py-3 sm:px-6 dark:bg-zinc-900/60 ${border}`}>
          {footer}
        </div>
      ) : null}
    </section>
  );
}
