import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  Attachment,
  DomainError,
  NotFoundError,
  type AttachmentStatus,
  type AttachmentType,
  type EntityManager,
  type IAttachment,
  type IUser,
} from '@atrium/db';
import type { UploadLimits } from '../../context';
import { FileNotFoundError, type FileStore } from '../../files';
import { extractDocumentText, ExtractionError } from './extract';
import { reencodeImage, thumbnail } from './images';
import { classify, cleanFileName, SNIFF_BYTES, type Kind } from './sniff';
import { releaseStorage, reserveStorage, storageOf } from './storage.service';

export type UploadRefusal = 'too-large' | 'wrong-type' | 'over-quota' | 'not-permitted' | 'empty';

/** An upload the rules refuse; `reason` says which rule, so the composer can explain it. */
export class UploadRefusedError extends DomainError {
  constructor(
    readonly reason: UploadRefusal,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const storageKeyOf = (userId: string, attachmentId: string) => `attachments/${userId}/${attachmentId}`;
export const userFilesPrefix = (userId: string) => `attachments/${userId}/`;

/** What clients see of an attachment: plain values, so clients' types do not name the ORM's. */
export type AttachmentView = {
  id: string;
  type: AttachmentType;
  name: string;
  mimeType: string;
  size: number;
  status: AttachmentStatus;
  failure: string | null;
  hasThumbnail: boolean;
  width: number | null;
  height: number | null;
  messageId: string | null;
  createdAt: Date;
};

export function shapeAttachment(attachment: IAttachment): AttachmentView {
  return {
    id: attachment.id,
    type: attachment.type,
    name: attachment.name,
    mimeType: attachment.mimeType,
    size: attachment.size,
    status: attachment.status,
    failure: attachment.failure ?? null,
    hasThumbnail: Boolean(attachment.thumbnailKey),
    width: attachment.width ?? null,
    height: attachment.height ?? null,
    messageId: (attachment.message as { id: string } | null | undefined)?.id ?? null,
    createdAt: attachment.createdAt,
  };
}

export type UploadDeps = { em: EntityManager; files: FileStore; limits: UploadLimits };

/**
 * Stores one uploaded file for `user`, as a pipeline: sniff the type from the first bytes →
 * check the permission and the size limit for that type → stream it to the store (images
 * re-encoded on the way, then a thumbnail) → take the bytes from the quota atomically → record
 * the attachment. Nothing stays stored when a step refuses. Documents come back `processing`:
 * the caller queues their text extraction.
 */
export async function storeUpload(
  deps: UploadDeps,
  user: IUser,
  upload: { name: string; body: AsyncIterable<Uint8Array>; declaredBytes?: number | null },
): Promise<IAttachment> {
  const { em, files, limits } = deps;
  const name = cleanFileName(upload.name);
  const { head, rest } = await readHead(upload.body, SNIFF_BYTES);
  if (head.length === 0) throw new UploadRefusedError('empty', 'The file is empty.');
  const kind = await classify(head, name, limits);
  if (!kind) throw new UploadRefusedError('wrong-type', 'This kind of file cannot be attached. Attach a PDF, Word (DOCX), text, Markdown, CSV or code file, or a PNG, JPEG, WebP or GIF picture.');
  if (user.permissions?.[kind.permission] === false) {
    throw new UploadRefusedError('not-permitted', kind.type === 'image' ? 'Attaching pictures is turned off for your account.' : 'Attaching documents is turned off for your account.');
  }
  if (upload.declaredBytes && upload.declaredBytes > kind.maxBytes + 64 * 1024) throw tooLarge(kind.maxBytes);
  await refuseEarlyOverQuota(em, user, upload.declaredBytes ?? head.length);

  const id = randomUUID();
  const key = storageKeyOf(user.id, id);
  const body = Readable.from(limitBytes(prepend(head, rest), kind.maxBytes));
  let thumbnailKey: string | null = null;
  let size: number;
  let width: number | null = null;
  let height: number | null = null;
  let mimeType = kind.mimeType;
  const stored: string[] = [];
  try {
    if (kind.kind === 'image') {
      const image = reencodeImage(body, kind.mimeType, limits.maxImagePixels);
      mimeType = image.mimeType;
      const [written, info] = await Promise.all([files.put(key, image.stream, { contentType: mimeType }), image.info]);
      stored.push(key);
      size = written.size;
      width = info.width;
      height = info.height;
      thumbnailKey = `${key}.thumb`;
      const thumb = await files.put(thumbnailKey, thumbnail(await files.get(key)), { contentType: 'image/webp' });
      stored.push(thumbnailKey);
      size += thumb.size;
    } else {
      size = (await files.put(key, body, { contentType: mimeType })).size;
      stored.push(key);
    }
    if (!(await reserveStorage(em, user, size))) throw await overQuota(em, user);
  } catch (error) {
    await Promise.all(stored.map((stale) => files.delete(stale).catch(() => undefined)));
    if (error instanceof UploadRefusedError) throw error;
    if (kind.kind === 'image' && !(error instanceof UploadRefusedError)) {
      throw new UploadRefusedError('wrong-type', 'This picture could not be read. Try saving it again as PNG or JPEG.');
    }
    throw error;
  }

  const attachment = em.create(Attachment, {
    id,
    user: user.id,
    message: null,
    type: kind.type,
    name,
    mimeType,
    size,
    storageKey: key,
    thumbnailKey,
    width,
    height,
    status: kind.type === 'document' ? 'processing' : 'ready',
    createdAt: new Date(),
  });
  await em.flush();
  return attachment;
}

const tooLarge = (maxBytes: number) =>
  new UploadRefusedError('too-large', `The file is too large: at most ${formatBytes(maxBytes)} for this kind of file.`, { maxBytes });

async function overQuota(em: EntityManager, user: IUser) {
  const storage = await storageOf(em, user);
  return new UploadRefusedError('over-quota', `Your file storage is full (${formatBytes(storage.usedBytes)} of ${formatBytes(storage.quotaBytes ?? 0)} used). Delete older chats with attachments to make room.`, storage);
}

/** Refuses before reading a file that could not fit however it compresses. */
async function refuseEarlyOverQuota(em: EntityManager, user: IUser, atLeastBytes: number) {
  const storage = await storageOf(em, user);
  if (storage.quotaBytes !== null && storage.usedBytes + atLeastBytes > storage.quotaBytes * 1.05 + 1024 * 1024) throw await overQuota(em, user);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1).replace(/\.0$/, '')} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GB`;
}

/** The first `bytes` bytes (fewer when the body is shorter), and an iterator over what follows. */
async function readHead(body: AsyncIterable<Uint8Array>, bytes: number) {
  const iterator = body[Symbol.asyncIterator]();
  const pieces: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) break;
    const piece = Buffer.from(next.value);
    pieces.push(piece);
    length += piece.length;
  }
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  return { head: Buffer.concat(pieces), rest };
}

async function* prepend(head: Buffer, rest: AsyncIterable<Uint8Array>) {
  yield head;
  yield* rest;
}

async function* limitBytes(body: AsyncIterable<Uint8Array>, maxBytes: number) {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

/** One of the user's attachments, or NOT_FOUND (another user's is indistinguishable from none). */
export async function findOwnAttachment(em: EntityManager, user: Pick<IUser, 'id'>, id: string) {
  const attachment = await em.findOne(Attachment, { id, user: user.id });
  if (!attachment) throw new NotFoundError('No such attachment.');
  return attachment;
}

export const kindOf = (mimeType: string): Kind =>
  mimeType === 'application/pdf' ? 'pdf' : mimeType.includes('wordprocessingml') ? 'docx' : mimeType.startsWith('image/') ? 'image' : 'text';

/**
 * Reads a document's text and records the outcome: `ready` with the text, or `failed` with the
 * reason. Idempotent, so a job retried after a crash simply does it again; a document already
 * finished (or deleted meanwhile) is left alone.
 */
export async function extractAttachment(em: EntityManager, files: FileStore, attachmentId: string) {
  const attachment = await em.findOne(Attachment, { id: attachmentId, type: 'document' });
  if (!attachment || attachment.status !== 'processing') return;
  try {
    const text = await extractDocumentText(kindOf(attachment.mimeType), await files.get(attachment.storageKey));
    await em.nativeUpdate(Attachment, { id: attachmentId, status: 'processing' }, { extractedText: text, status: 'ready', failure: null });
  } catch (error) {
    if (error instanceof FileNotFoundError) return;
    if (!(error instanceof ExtractionError)) throw error;
    await em.nativeUpdate(Attachment, { id: attachmentId, status: 'processing' }, { status: 'failed', failure: error.failure });
  }
}

/**
 * Deletes attachments' files and gives their bytes back. Call it after the rows are gone (or
 * will be, in the same request): a file whose row survived a failure is found by the sweep.
 */
export async function removeFiles(em: EntityManager, files: FileStore, rows: Pick<IAttachment, 'storageKey' | 'thumbnailKey' | 'size'>[], userId: string) {
  await Promise.all(rows.flatMap((row) => [row.storageKey, ...(row.thumbnailKey ? [row.thumbnailKey] : [])]).map((key) => files.delete(key)));
  await releaseStorage(em, userId, rows.reduce((sum, row) => sum + row.size, 0));
}

/**
 * Erasure: every stored file of a user (attachments, thumbnails, generated images), found by key
 * prefix so nothing depends on rows that are already gone. Call it after the user's rows are deleted.
 */
export async function eraseUserFiles(files: FileStore, userId: string) {
  const keys: string[] = [];
  for await (const file of files.list(userFilesPrefix(userId))) keys.push(file.key);
  await Promise.all(keys.map((key) => files.delete(key)));
  return keys.length;
}

/** Deletes one of my attachments that is not yet sent with a message (a removed chip). */
export async function deleteDraftAttachment(em: EntityManager, files: FileStore, user: IUser, id: string) {
  const attachment = await em.findOne(Attachment, { id, user: user.id, message: null });
  if (!attachment) throw new NotFoundError('No such attachment.');
  await em.nativeDelete(Attachment, { id });
  await removeFiles(em, files, [attachment], user.id);
}

/** The attachments of some messages, grouped by message id, for the message list. */
export async function attachmentsOfMessages(em: EntityManager, userId: string, messageIds: string[]) {
  if (messageIds.length === 0) return new Map<string, AttachmentView[]>();
  const rows = await em.find(Attachment, { user: userId, message: { $in: messageIds } }, { orderBy: { createdAt: 'asc' } });
  const byMessage = new Map<string, AttachmentView[]>();
  for (const row of rows) {
    const view = shapeAttachment(row);
    byMessage.set(view.messageId!, [...(byMessage.get(view.messageId!) ?? []), view]);
  }
  return byMessage;
}

