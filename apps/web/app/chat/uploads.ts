import type { RouterOutputs } from '@atrium/api';

export type AttachmentView = RouterOutputs['attachments']['get'];
export type UploadRefusal = 'too-large' | 'wrong-type' | 'over-quota' | 'not-permitted' | 'empty' | 'failed';

/** One file in the composer: uploading with progress, then the server's attachment, or an error. */
export type DraftFile = {
  key: string;
  name: string;
  size: number;
  progress: number;
  attachment: AttachmentView | null;
  error: { reason: UploadRefusal; details: Record<string, unknown> } | null;
};

export type DraftAction =
  | { type: 'add'; key: string; name: string; size: number }
  | { type: 'progress'; key: string; progress: number }
  | { type: 'uploaded'; key: string; attachment: AttachmentView }
  | { type: 'refused'; key: string; reason: UploadRefusal; details: Record<string, unknown> }
  | { type: 'remove'; key: string }
  | { type: 'clear' };

/** The composer's files, as a pure reducer the tests drive. */
export function draftReducer(files: DraftFile[], action: DraftAction): DraftFile[] {
  switch (action.type) {
    case 'add':
      return [...files, { key: action.key, name: action.name, size: action.size, progress: 0, attachment: null, error: null }];
    case 'progress':
      return files.map((file) => (file.key === action.key ? { ...file, progress: action.progress } : file));
    case 'uploaded':
      return files.map((file) => (file.key === action.key ? { ...file, progress: 1, attachment: action.attachment } : file));
    case 'refused':
      return files.map((file) => (file.key === action.key ? { ...file, error: { reason: action.reason, details: action.details } } : file));
    case 'remove':
      return files.filter((file) => file.key !== action.key);
    case 'clear':
      return [];
  }
}

/** Files still on their way: the message waits for them. */
export const isBusy = (file: DraftFile) => !file.error && (!file.attachment || file.attachment.status === 'processing');
/** What goes with the message: uploaded files (a document that could not be read still shows, without text). */
export const sendableIds = (files: DraftFile[]) => files.flatMap((file) => (file.attachment && !file.error ? [file.attachment.id] : []));

export type UploadResult = { ok: true; attachment: AttachmentView } | { ok: false; reason: UploadRefusal; details: Record<string, unknown> };

/**
 * Uploads one file to `/api/files` with progress (XMLHttpRequest: fetch cannot report upload
 * progress). The session cookie goes along; the server sniffs the type from the bytes.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/files');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as { attachment?: AttachmentView; error?: { reason?: UploadRefusal; details?: Record<string, unknown> } } | null;
      if (request.status === 201 && body?.attachment) return resolve({ ok: true, attachment: body.attachment });
      resolve({ ok: false, reason: body?.error?.reason ?? 'failed', details: body?.error?.details ?? {} });
    };
    request.onerror = () => resolve({ ok: false, reason: 'failed', details: {} });
    signal?.addEventListener('abort', () => request.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** Sizes as people read them, in the reader's language. */
export function formatBytes(bytes: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export const MAX_FILES = 10;
