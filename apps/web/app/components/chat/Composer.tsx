import { useLanguage } from '@atrium/ui';
import { forwardRef, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react';
import { formatNumber } from '../../chat/reset-time';
import { useWebT } from '../../i18n';
import { SendIcon, StopIcon } from './icons';

/** The API refuses longer messages; the composer says so before sending. */
export const MAX_MESSAGE_CHARS = 32_000;
const COUNTER_FROM = MAX_MESSAGE_CHARS * 0.9;
const MAX_HEIGHT_PX = 240;

export type ComposerHandle = { focus: () => void };

type ComposerProps = {
  value: string;
  onChange: (value: string) => void;
  onSend: (content: string) => void;
  onStop: () => void;
  /** An answer is streaming: the text area waits, the button stops the answer. */
  streaming: boolean;
  /** Nothing can be sent at all (no model available). */
  unavailable?: boolean;
  assistant: string;
  footer?: ReactNode;
  /** Files going with the message: their chips, the attach button, pasted pictures, and whether sending waits for them. */
  files?: { chips: ReactNode; button: ReactNode; onPaste: (files: File[]) => void; blocked: boolean; notice?: string | null };
};

/**
 * Where the user writes: grows with the text, Enter sends, Shift+Enter starts a new line.
 * While an answer streams the button becomes Stop (Escape stops too).
 */
export const Composer = forwardRef<ComposerHandle, ComposerProps>(function Composer(
  { value, onChange, onSend, onStop, streaming, unavailable = false, assistant, footer, files },
  handle,
) {
  const t = useWebT();
  const lang = useLanguage();
  const area = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(handle, () => ({ focus: () => area.current?.focus() }), []);

  // Grow with the text (also when the text is set from outside: a suggestion, a refused question).
  useEffect(() => {
    const element = area.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [value]);

  // When an answer ends, writing goes on where it was: back in the composer, unless the user went elsewhere.
  const wasStreaming = useRef(streaming);
  useEffect(() => {
    if (wasStreaming.current && !streaming) {
      const active = document.activeElement;
      if (!active || active === document.body || active.closest('[data-answer]')) area.current?.focus();
    }
    wasStreaming.current = streaming;
  }, [streaming]);

  const length = value.length;
  const tooLong = length > MAX_MESSAGE_CHARS;
  const canSend = !streaming && !unavailable && !tooLong && !files?.blocked && value.trim().length > 0;
  const send = () => {
    if (canSend) onSend(value);
  };

  return (
    <div className="mx-auto w-full max-w-3xl px-4 pb-4 sm:px-6">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
        className="relative rounded-2xl border border-zinc-300 bg-white shadow-sm transition-colors focus-within:border-accent-500 focus-within:ring-2 focus-within:ring-accent-500/25 dark:border-zinc-700 dark:bg-zinc-900"
      >
        {files?.chips}
        <label htmlFor="composer" className="sr-only">
          {t('web.chat.composer.label')}
        </label>
        <textarea
          ref={area}
          id="composer"
          name="content"
          rows={1}
          value={value}
          disabled={streaming || unavailable}
          onChange={(event) => onChange(event.target.value)}
          onPaste={(event) => {
            // A pasted picture (a screenshot) becomes an attachment; pasted text stays text.
            const pasted = [...event.clipboardData.files].filter((file) => file.type.startsWith('image/'));
            if (pasted.length && files) {
              event.preventDefault();
              files.onPaste(pasted);
            }
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            }
          }}
          placeholder={t('web.chat.composer.placeholder', { assistant })}
          aria-describedby="composer-hint composer-count"
          aria-invalid={tooLong || undefined}
          className={`block max-h-60 w-full resize-none bg-transparent py-3.5 pr-14 ${files ? 'pl-12' : 'pl-4'} text-[0.95rem] leading-6 text-zinc-900 placeholder:text-zinc-400 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 dark:text-zinc-100 dark:placeholder:text-zinc-500`}
        />
        {files ? <div className="absolute bottom-2.5 left-2">{files.button}</div> : null}
        <div className="absolute right-2.5 bottom-2.5">
          {streaming ? (
            <button
              type="button"
              onClick={onStop}
              aria-keyshortcuts="Escape"
              title={t('web.chat.composer.stopHint')}
              className="inline-flex size-9 items-center justify-center rounded-full bg-zinc-900 text-white shadow-sm transition-colors hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
            >
              <StopIcon className="size-4" />
              <span className="sr-only">{t('web.chat.composer.stop')}</span>
            </button>
          ) : (
            <button
              type="submit"
              disabled={!canSend}
              className="inline-flex size-9 items-center justify-center rounded-full bg-accent-600 text-white shadow-sm transition-colors hover:bg-accent-500 disabled:cursor-not-allowed disabled:bg-zinc-300 disabled:text-zinc-500 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-400"
            >
              <SendIcon className="size-4" />
              <span className="sr-only">{t('web.chat.composer.send')}</span>
            </button>
          )}
        </div>
      </form>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-1 text-xs text-zinc-500 dark:text-zinc-400">
        <p id="composer-hint">{files?.notice ?? (streaming ? t('web.chat.composer.stopHint') : t('web.chat.composer.hint'))}</p>
        <p id="composer-count" aria-live="polite" className={tooLong ? 'font-medium text-red-600 dark:text-red-400' : ''}>
          {tooLong
            ? t('web.chat.composer.tooLong', { count: formatNumber(length, lang), max: formatNumber(MAX_MESSAGE_CHARS, lang) })
            : length >= COUNTER_FROM
              ? t('web.chat.composer.count', { count: formatNumber(length, lang), max: formatNumber(MAX_MESSAGE_CHARS, lang) })
              : null}
        </p>
      </div>
      {footer}
    </div>
  );
});
