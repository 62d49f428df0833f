import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { FileNotFoundError } from '../files';
import { findOwnAttachment, shapeAttachment, storeUpload, UploadRefusedError, type UploadRefusal } from '../routers/attachments/attachments.service';
import { extractDocumentJob } from '../routers/attachments/extraction.job';
import { requestLog } from '../observability/log';
import { createRequestContext } from './http';
import type { ApiRuntime } from './runtime';

const STATUS: Record<UploadRefusal, number> = { 'too-large': 413, 'over-quota': 413, 'wrong-type': 415, 'not-permitted': 403, empty: 400 };

type ErrorBody = { error: { code: string; reason?: UploadRefusal; message: string; details?: Record<string, unknown> } };
const fail = (res: Response, status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}) =>
  res.status(status).json({ error: { code, message, ...extra } } satisfies ErrorBody);

/**
 * `/api/files`: uploads (POST, multipart with one `file` field) and downloads (GET `/:id`) of
 * attachments, on the same origin and session cookie as `/api/trpc`. Bodies stream straight to
 * the file store; the type comes from the bytes.
 */
export function createFilesRouter(runtime: ApiRuntime): Router {
  const router = express.Router();
  const { uploads } = runtime.config;
  const largest = Math.max(uploads.maxDocumentBytes, uploads.maxImageBytes, uploads.maxTextBytes);

  router.post('/', async (req, res) => {
    const ctx = await createRequestContext(runtime, req, res);
    const refuse = (status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}) => {
      // Whatever the client still sends is read and dropped, and the connection not reused.
      res.set('Connection', 'close');
      fail(res, status, code, message, extra);
      req.resume();
    };
    if (!ctx.user) return refuse(401, 'UNAUTHORIZED', 'Please sign in.');
    if (ctx.user.isBanned) return refuse(403, 'FORBIDDEN', 'This account is suspended.');
    const foreignOrigin = ctx.meta.origin !== null && ctx.meta.origin !== ctx.meta.ownOrigin;
    if (ctx.meta.authMethod === 'cookie' && (foreignOrigin || ctx.meta.crossSite)) {
      return refuse(403, 'FORBIDDEN', 'This request came from another site and was refused.');
    }
    if (!req.is('multipart/form-data')) return refuse(400, 'BAD_REQUEST', 'Send the file as multipart/form-data in a field named "file".');

    const user = ctx.user;
    const declared = Number(req.get('content-length')) || null;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 4, fieldSize: 1024, parts: 5, fileSize: largest + 1 } });
    } catch {
      return refuse(400, 'BAD_REQUEST', 'The upload could not be read.');
    }
    const stored = new Promise<ReturnType<typeof shapeAttachment>>((resolve, reject) => {
      let seen = false;
      parser.on('file', (field, stream, info) => {
        if (field !== 'file' || seen) return void stream.resume();
        seen = true;
        storeUpload({ em: ctx.em, files: runtime.files, limits: uploads }, user, { name: info.filename ?? 'file', body: stream, declaredBytes: declared })
          .then((attachment) => {
            const queued = attachment.type === 'document' ? runtime.jobs.enqueue(extractDocumentJob, { attachmentId: attachment.id }, { once: attachment.id }) : null;
            return Promise.resolve(queued).then(() => resolve(shapeAttachment(attachment)));
          })
          .catch((error: unknown) => {
            stream.resume();
            reject(error);
          });
      });
      parser.on('close', () => {
        if (!seen) reject(new UploadRefusedError('empty', 'No file was sent: use a field named "file".'));
      });
      parser.on('error', reject);
      req.on('aborted', () => reject(new Error('upload aborted')));
    });
    req.pipe(parser);
    try {
      res.status(201).json({ attachment: await stored });
    } catch (error) {
      if (res.headersSent || !res.socket || res.socket.destroyed) return;
      if (error instanceof UploadRefusedError) {
        return refuse(STATUS[error.reason], error.reason === 'not-permitted' ? 'FORBIDDEN' : 'BAD_REQUEST', error.message, {
          reason: error.reason,
          details: error.details,
        });
      }
      requestLog(req).error({ err: error, userId: user.id }, 'upload failed');
      refuse(500, 'INTERNAL_SERVER_ERROR', 'The upload failed on our side. Please try again.');
    }
  });

  router.get('/:id', async (req: Request<{ id: string }>, res) => {
    const ctx = await createRequestContext(runtime, req, res);
    const id = z.uuid().safeParse(req.params.id);
    // Signed out, someone else's file and no file at all look the same: nothing to learn here.
    if (!ctx.user || ctx.user.isBanned || !id.success) return fail(res, 404, 'NOT_FOUND', 'No such file.');
    try {
      const attachment = await findOwnAttachment(ctx.em, ctx.user, id.data);
      const wantsThumbnail = req.query.variant === 'thumbnail' && attachment.thumbnailKey;
      const key = wantsThumbnail ? attachment.thumbnailKey! : attachment.storageKey;
      const body = await runtime.files.get(key);
      const isImage = attachment.type !== 'document';
      res.set({
        'Content-Type': wantsThumbnail ? 'image/webp' : safeContentType(attachment.mimeType),
        'Content-Disposition': `${isImage ? 'inline' : 'attachment'}; ${dispositionFileName(attachment.name)}`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, max-age=3600',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
      await pipeline(body, res);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof FileNotFoundError || (error as Error).name === 'NotFoundError') return fail(res, 404, 'NOT_FOUND', 'No such file.');
      requestLog(req).error({ err: error }, 'download failed');
      fail(res, 500, 'INTERNAL_SERVER_ERROR', 'The file could not be read. Please try again.');
    }
  });
  return router;
}

/** Only types a browser cannot run as a page: pictures and documents as they are, any text as plain text. */
export function safeContentType(mimeType: string): string {
  if (/^image\/(png|jpeg|webp)$/.test(mimeType)) return mimeType;
  if (mimeType === 'application/pdf' || mimeType.includes('wordprocessingml')) return mimeType;
  if (mimeType.startsWith('text/')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback and the real name percent-encoded. */
export function dispositionFileName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
