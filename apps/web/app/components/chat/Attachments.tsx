import { trpc, useLanguage } from '@atrium/ui';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import {
  draftReducer,
  formatBytes,
  isBusy,
  MAX_FILES,
  uploadFile,
  type AttachmentView,
  type DraftFile,
} from '../../chat/uploads';
import { useWebT } from '../../i18n';
import { AlertIcon, XIcon } from './icons';

const POLL_MS = 1000;

/** The composer's files: uploads with progress, documents polled until read, removal. */
export function useDraftFiles() {
  const [files, dispatch] = useReducer(draftReducer, []);
  const utils = trpc.useUtils();
  const remove = trpc.attachments.delete.useMutation();

  const add = useCallback(
    (incoming: File[]) => {
      for (const file of incoming) {
        const key = crypto.randomUUID();
        dispatch({ type: 'add', key, name: file.name || 'pasted-image.png', size: file.size });
        void uploadFile(file, (progress) => dispatch({ type: 'progress', key, progress })).then((result) => {
          dispatch(result.ok ? { type: 'uploaded', key, attachment: result.attachment } : { type: 'refused', key, reason: result.reason, details: result.details });
          // The storage line under the composer follows what was just stored.
          if (result.ok) void utils.attachments.storage.invalidate();
        });
      }
    },
    [dispatch, utils],
  );

  // Documents are read in the background: ask again every POLL_MS until each is ready or failed.
  // An interval, not a timer per render: an answer that is still "processing" changes nothing, so
  // no render would come to set the next timer, and a slow read would stay "Reading…" for good.
  const latestFiles = useRef(files);
  useEffect(() => {
    latestFiles.current = files;
  }, [files]);
  const anyProcessing = files.some((file) => file.attachment?.status === 'processing');
  useEffect(() => {
    if (!anyProcessing) return;
    const timer = setInterval(() => {
      for (const file of latestFiles.current) {
        if (file.attachment?.status !== 'processing') continue;
        void utils.client.attachments.get.query({ id: file.attachment.id }).then(
          (attachment) => attachment.status !== 'processing' && dispatch({ type: 'uploaded', key: file.key, attachment }),
          () => undefined,
        );
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [anyProcessing, utils]);

  return {
    files,
    add,
    remove(file: DraftFile) {
      dispatch({ type: 'remove', key: file.key });
      if (file.attachment) remove.mutate({ id: file.attachment.id }, { onSuccess: () => void utils.attachments.storage.invalidate() });
    },
    clear: () => dispatch({ type: 'clear' }),
    restore(saved: DraftFile[]) {
      dispatch({ type: 'clear' });
      for (const file of saved) {
        dispatch({ type: 'add', key: file.key, name: file.name, size: file.size });
        if (file.attachment) dispatch({ type: 'uploaded', key: file.key, attachment: file.attachment });
      }
    },
    busy: files.some(isBusy),
    tooMany: files.filter((file) => !file.error).length > MAX_FILES,
  };
}

/** The paperclip: opens the file picker. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const t = useWebT();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <button
        type="button"
        disabled={disabled}
        onClick={() => input.current?.click()}
        title={t('web.attachments.attachHint')}
        className="inline-flex size-9 items-center justify-center rounded-full text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-800 disabled:cursor-not-allowed disabled:opacity-50 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <PaperclipIcon className="size-5" />
        <span className="sr-only">{t('web.attachments.attach')}</span>
      </button>
    </>
  );
}

/** Chips of the files about to be sent: name, size, progress, state, remove. Errors say why, plainly. */
export function DraftChips({ files, onRemove }: { files: DraftFile[]; onRemove: (file: DraftFile) => void }) {
  const t = useWebT();
  const lang = useLanguage();
  if (files.length === 0) return null;
  return (
    <ul aria-label={t('web.attachments.listLabel')} className="flex flex-wrap gap-2 px-3 pt-3">
      {files.map((file) => {
        const status = file.error
          ? errorText(t, lang, file)
          : !file.attachment
            ? t('web.attachments.uploading', { percent: Math.round(file.progress * 100) })
            : file.attachment.status === 'processing'
              ? t('web.attachments.processing')
              : file.attachment.status === 'failed'
                ? failureText(t, file.attachment)
                : t('web.attachments.ready');
        const bad = Boolean(file.error) || file.attachment?.status === 'failed';
        return (
          <li
            key={file.key}
            data-testid="draft-chip"
            className={`relative flex max-w-full min-w-0 items-center gap-2 overflow-hidden rounded-lg border px-2.5 py-1.5 text-xs ${bad ? 'border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200' : 'border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200'}`}
          >
            {bad ? <AlertIcon className="size-4 shrink-0" /> : null}
            <span className="min-w-0">
              <span className="block truncate font-medium">{file.name}</span>
              <span className="block" role={bad ? 'alert' : undefined}>
                {formatBytes(file.size, lang)} · {status}
              </span>
            </span>
            <button
              type="button"
              onClick={() => onRemove(file)}
              className="ml-1 rounded p-0.5 hover:bg-zinc-200 dark:hover:bg-zinc-700"
              aria-label={t('web.attachments.remove', { name: file.name })}
            >
              <XIcon className="size-3.5" />
            </button>
            {!file.attachment && !file.error ? (
              <span
                role="progressbar"
                aria-label={file.name}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(file.progress * 100)}
                className="absolute bottom-0 left-0 h-0.5 bg-accent-500 transition-[width]"
                style={{ width: `${Math.round(file.progress * 100)}%` }}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The files a saved message carries: pictures as thumbnails, documents as chips that download. */
export function MessageAttachments({ attachments, align = 'end' }: { attachments: readonly AttachmentView[]; align?: 'start' | 'end' }) {
  const t = useWebT();
  const lang = useLanguage();
  if (attachments.length === 0) return null;
  return (
    <ul aria-label={t('web.attachments.listLabel')} className={`flex flex-wrap gap-2 ${align === 'end' ? 'justify-end' : ''}`}>
      {attachments.map((attachment) =>
        attachment.type === 'document' ? (
          <li key={attachment.id} data-testid="attachment-chip">
            <a
              href={`/api/files/${attachment.id}`}
              download={attachment.name}
              aria-label={t('web.attachments.download', { name: attachment.name })}
              className="flex max-w-xs items-center gap-2 rounded-lg border border-zinc-200 bg-white px-2.5 py-1.5 text-xs text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
            >
              <PaperclipIcon className="size-4 shrink-0" />
              <span className="min-w-0">
                <span className="block truncate font-medium">{attachment.name}</span>
                <span className="block">
                  {formatBytes(attachment.size, lang)}
                  {attachment.status === 'failed' ? ` · ${failureText(t, attachment)}` : ''}
                </span>
              </span>
            </a>
          </li>
        ) : (
          <li key={attachment.id} data-testid="attachment-chip">
            <a href={`/api/files/${attachment.id}`} target="_blank" rel="noopener noreferrer" className="block">
              <img
                src={`/api/files/${attachment.id}${attachment.type === 'generated_image' ? '' : '?variant=thumbnail'}`}
                alt={attachment.type === 'generated_image' ? t('web.attachments.generated') : t('web.attachments.image', { name: attachment.name })}
                width={attachment.width ?? undefined}
                height={attachment.height ?? undefined}
                className={`rounded-lg border border-zinc-200 object-cover dark:border-zinc-700 ${attachment.type === 'generated_image' ? 'max-h-96 max-w-full' : 'max-h-40 max-w-[10rem]'}`}
              />
            </a>
          </li>
        ),
      )}
    </ul>
  );
}

type T = ReturnType<typeof useWebT>;

function failureText(t: T, attachment: AttachmentView) {
  const failure = attachment.failure === 'no-text-layer' || attachment.failure === 'empty' ? attachment.failure : 'unreadable';
  return t(`web.attachments.failure.${failure}`);
}

function errorText(t: T, lang: string, file: DraftFile) {
  const { reason, details } = file.error!;
  const bytes = (value: unknown) => (typeof value === 'number' ? formatBytes(value, lang) : '—');
  return t(`web.attachments.error.${reason}`, {
    name: file.name,
    max: bytes(details.maxBytes),
    used: bytes(details.usedBytes),
    quota: bytes(details.quotaBytes),
  });
}

function PaperclipIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={className}>
      <path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l8.57-8.57A4 4 0 1 1 18 8.84l-8.59 8.57a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </svg>
  );
}
