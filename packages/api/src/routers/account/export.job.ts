import { DataExport } from '@atrium/db';
import { z } from 'zod';
import { defineJob } from '../../jobs/runner';
import { deleteExpiredExports, EXPORT_TTL_HOURS, writeExportArchive } from './export.service';

const HOUR = 60 * 60 * 1000;

/**
 * Builds one archive. The payload is the export's id only (never the user's), so the job table
 * keeps nothing personal. A process that stops mid-build aborts the attempt; the retry starts
 * the archive again from the beginning (a `put` to the same key replaces it).
 */
export const buildExportJob = defineJob({
  name: 'account.export',
  data: z.object({ exportId: z.uuid() }),
  retry: { limit: 3, delaySeconds: 0, backoff: false },
  timeoutSeconds: 60 * 60,
  concurrency: 1,
  async run({ exportId }, { em, config, signal }) {
    if (!config.files) throw new Error('No file store in this process: cannot write export archives.');
    const row = await em.findOne(DataExport, { id: exportId });
    // Erased (or already swept) while queued: nothing to do.
    if (!row || row.status === 'ready') return;
    row.status = 'running';
    row.progress = 0;
    await em.flush();
    try {
      const { size } = await writeExportArchive(em, config.files, row, {
        now: config.now(),
        signal,
        onProgress: async (done, total) => {
          await em.nativeUpdate(DataExport, { id: exportId }, { progress: done, total });
        },
      });
      const finishedAt = config.now();
      await em.nativeUpdate(DataExport, { id: exportId }, { status: 'ready', size, finishedAt, expiresAt: new Date(finishedAt.getTime() + EXPORT_TTL_HOURS * HOUR) });
    } catch (error) {
      await em.nativeUpdate(DataExport, { id: exportId }, { status: 'queued', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  },
});

/** Removes archives whose download time is over, every hour. */
export const sweepExportsJob = defineJob({
  name: 'account.exportSweep',
  data: z.object({}),
  schedule: { cron: '17 * * * *', data: {} },
  retry: { limit: 2, delaySeconds: 60 },
  async run(_data, { em, config }) {
    if (config.files) await deleteExpiredExports(em, config.files, config.now());
  },
});

export const accountJobs = [buildExportJob, sweepExportsJob];
