import { buttonClass } from '@atrium/ui';
import { useEffect, useState } from 'react';

/**
 * Copies `text` to the clipboard and says so (politely, for screen readers). Where the clipboard
 * is unavailable, it selects the element named by `selectId` so the admin can copy by hand.
 */
export function CopyButton({ text, label, copiedLabel, selectId }: { text: string; label: string; copiedLabel: string; selectId?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const selectByHand = () => {
    const element = selectId ? document.getElementById(selectId) : null;
    if (!element) return;
    const range = document.createRange();
    range.selectNodeContents(element);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      selectByHand();
    }
  };

  return (
    <button type="button" onClick={() => void copy()} className={buttonClass('secondary', 'sm')}>
      <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
        {copied ? <path d="m4 10 4 4 8-8" strokeLinecap="round" /> : <path d="M7 7V4h9v9h-3M4 7h9v9H4z" />}
      </svg>
      <span aria-live="polite">{copied ? copiedLabel : label}</span>
    </button>
  );
}
