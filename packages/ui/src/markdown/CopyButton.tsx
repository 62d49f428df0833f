import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { CheckIcon, CopyIcon } from './icons';

/** Writes text to the clipboard, with the old selection trick where the Clipboard API is refused. */
async function copyText(text: string) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new Error('copy refused');
  }
}

/** A copy button that says "Copied" for a moment; `text` is read only when clicked. */
export function CopyButton({ text, label, compact = false }: { text: () => string; label: string; compact?: boolean }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const onClick = async () => {
    let next: 'copied' | 'failed' = 'copied';
    try {
      await copyText(text());
    } catch {
      next = 'failed';
    }
    setState(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };

  const shown = state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : compact ? t('copy.copy') : label;
  return (
    <button
      type="button"
      onClick={() => void onClick()}
      aria-label={state === 'idle' ? label : shown}
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {state === 'copied' ? <CheckIcon className="size-3.5 text-emerald-600 dark:text-emerald-400" /> : <CopyIcon className="size-3.5" />}
      <span aria-live="polite">{shown}</span>
    </button>
  );
}
