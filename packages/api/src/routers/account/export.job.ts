import { DataExport } from '@atrium/db';
import { z } from 'zod';
import { defineJob } from '../../jobs/runner';
import { exportHours } from '../retention/retention.service';
import { writeExportArchive } from './export.service';

const HOUR = 60 * 60 * 1000;

/**
 * Builds one archive. The payload is the export's id only (never the user's), so the job table
 * keeps nothing personal. A process that stops mid-build aborts the attempt; the retry starts
 * the archive again from the beginning (a `put` to the same key replaces it).
 */
const RETRIES = 3;

export const buildExportJob = defineJob({
  name: 'account.export',
  data: z.object({ exportId: z.uuid() }),
  retry: { limit: RETRIES, delaySeconds: 0, backoff: false },
  timeoutSeconds: 60 * 60,
  // A process killed mid-build (not stopped: that hands the job back at once) is noticed in seconds, not in an hour.
  heartbeatSeconds: 10,
  concurrency: 1,
  async run({ exportId }, { em, config, signal, retryCount }) {
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
      const hours = await exportHours(em);
      await em.nativeUpdate(DataExport, { id: exportId }, { status: 'ready', size, finishedAt, expiresAt: new Date(finishedAt.getTime() + hours * HOUR) });
    } catch (error) {
      // A stopping process hands the job back; a real failure on the last attempt is final and shown as such.
      const final = retryCount >= RETRIES && !signal.aborted;
      await em.nativeUpdate(DataExport, { id: exportId }, { status: final ? 'failed' : 'queued', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  },
});

export const accountJobs = [buildExportJob];
