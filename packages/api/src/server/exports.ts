import { pipeline } from 'node:stream/promises';
import { exportStorageKey } from '@atrium/db';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { FileNotFoundError } from '../files';
import { ExportUnavailableError, openExportForDownload } from '../routers/account/export.service';
import { dispositionFileName } from './files';
import { requestLog } from '../observability/log';
import { createRequestContext } from './http';
import type { ApiRuntime } from './runtime';

const STATUS = { 'not-found': 404, 'not-ready': 409, expired: 410 } as const;
const CODE = { 'not-found': 'NOT_FOUND', 'not-ready': 'CONFLICT', expired: 'GONE' } as const;

const fail = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

/**
 * `/api/exports/:id`: a finished "download my data" archive, streamed from the file store chunk by
 * chunk (never whole in memory), to the person it is about or the administrator who made it.
 */
export function createExportsRouter(runtime: ApiRuntime): Router {
  const router = express.Router();
  router.get('/:id', async (req: Request<{ id: string }>, res) => {
    const ctx = await createRequestContext(runtime, req, res);
    const id = z.uuid().safeParse(req.params.id);
    // Signed out, someone else's archive and no archive at all look the same.
    if (!ctx.user || ctx.user.isBanned || !id.success) return fail(res, 404, 'NOT_FOUND', 'No such export.');
    try {
      const { row, fileName } = await openExportForDownload(ctx.em, ctx.user, id.data, runtime.config.now());
      const body = await runtime.files.get(exportStorageKey(row.id));
      res.set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; ${dispositionFileName(fileName)}`,
        ...(row.size ? { 'Content-Length': String(row.size) } : {}),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        // Personal data: never kept by a shared cache or the browser's.
        'Cache-Control': 'private, no-store',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
      await pipeline(body, res);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof ExportUnavailableError) return fail(res, STATUS[error.reason], CODE[error.reason], error.message);
      // The row says ready but the sweep got to the file first.
      if (error instanceof FileNotFoundError) return fail(res, 410, 'GONE', 'This export has expired. Ask for a new one.');
      requestLog(req).error({ err: error }, 'export download failed');
      fail(res, 500, 'INTERNAL_SERVER_ERROR', 'The archive could not be read. Please try again.');
    }
  });
  return router;
}
