import { buttonClass } from '@atrium/ui';
import { useEffect, useRef, useState } from 'react';
import { useAdminT } from '../i18n';

// The shared ghost button, in the colour of a destructive action.
const quietDanger = buttonClass('ghost', 'sm')
  .replace('text-zinc-700', 'text-rose-700')
  .replace('dark:text-zinc-300', 'dark:text-rose-300')
  .replace('hover:bg-zinc-100', 'hover:bg-rose-50')
  .replace('dark:hover:bg-zinc-800', 'dark:hover:bg-rose-950');

/**
 * A destructive submit button that asks first. Put it inside the form it submits: the first
 * click shows the question with "Confirm" (the real submit, carrying `name`/`value`) and
 * "Cancel"; focus moves to Cancel, and back to the trigger when cancelled.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  question,
  confirmLabel,
  name = 'intent',
  value,
  disabled,
  tone = 'ghost',
}: {
  label: string;
  /** When the visible label alone is ambiguous (a "Delete" on every row). */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  name?: string;
  value: string;
  disabled?: boolean;
  tone?: 'ghost' | 'danger' | 'secondary';
}) {
  const t = useAdminT();
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={tone === 'ghost' ? quietDanger : buttonClass(tone, 'sm')}
        disabled={disabled}
        aria-label={accessibleLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span
      role="group"
      aria-label={question}
      className="inline-flex flex-wrap items-center gap-2 rounded-lg bg-rose-50 px-3 py-2 text-sm dark:bg-rose-950"
    >
      <span className="font-medium text-rose-900 dark:text-rose-100">{question}</span>
      <button type="submit" name={name} value={value} className={buttonClass('danger', 'sm')} disabled={disabled}>
        {confirmLabel}
      </button>
      <button ref={cancelRef} type="button" className={buttonClass('secondary', 'sm')} onClick={() => setAsking(false)}>
        {t('content.common.cancel')}
      </button>
    </span>
  );
}
