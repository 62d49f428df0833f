import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentType } from '@atrium/db';
import type { UploadLimits } from '../../context';

/** How many leading bytes decide the type: enough for a DOCX's zip directory entries to show. */
export const SNIFF_BYTES = 64 * 1024;

export type Kind = 'pdf' | 'docx' | 'text' | 'image';
export type Classified = {
  kind: Kind;
  type: Extract<AttachmentType, 'image' | 'document'>;
  /** The type we store and serve, from the bytes; the name only picks a flavour of plain text. */
  mimeType: string;
  permission: 'uploadDocuments' | 'uploadImages';
  maxBytes: number;
};

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const TEXT_FLAVOURS: Record<string, string> = { md: 'text/markdown', markdown: 'text/markdown', csv: 'text/csv' };

/**
 * What an upload is, judged from its first bytes (`file-type`), never from its name or the
 * browser's claim. Text has no signature: bytes that decode as UTF-8 with no NUL are text
 * (plain, Markdown, CSV or source code). Anything else is refused (null).
 */
export async function classify(head: Uint8Array, name: string, limits: UploadLimits): Promise<Classified | null> {
  const detected = await fileTypeFromBuffer(head);
  if (detected && IMAGE_TYPES.has(detected.mime)) {
    return { kind: 'image', type: 'image', mimeType: detected.mime, permission: 'uploadImages', maxBytes: limits.maxImageBytes };
  }
  if (detected?.mime === 'application/pdf') {
    return { kind: 'pdf', type: 'document', mimeType: 'application/pdf', permission: 'uploadDocuments', maxBytes: limits.maxDocumentBytes };
  }
  if (detected?.mime === DOCX) {
    return { kind: 'docx', type: 'document', mimeType: DOCX, permission: 'uploadDocuments', maxBytes: limits.maxDocumentBytes };
  }
  if (!detected && head.length > 0 && looksLikeText(head)) {
    const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
    const mimeType = TEXT_FLAVOURS[extension] ?? 'text/plain';
    return { kind: 'text', type: 'document', mimeType, permission: 'uploadDocuments', maxBytes: limits.maxTextBytes };
  }
  return null;
}

/** UTF-8 without NUL bytes; a character cut at the end of the sample is fine. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** A file name safe to keep and show: no path, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (cleaned || 'file').slice(0, 255);
}
