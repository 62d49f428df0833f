import { Attachment } from '@atrium/db';
import { z } from 'zod';
import { PostgresFileStore } from '../../files';
import { defineJob } from '../../jobs/runner';
import { extractAttachment } from './attachments.service';

const RETRIES = 3;

/**
 * Reads an uploaded document's text in the background (pg-boss): it survives a restart, runs
 * once across replicas, and retries when the store or database hiccups. A document that cannot be
 * read is not an error here: it ends `failed` with its reason. After the last retry of an
 * unexpected failure the document is marked unreadable rather than left `processing` forever.
 */
export const extractDocumentJob = defineJob({
  name: 'attachments.extract',
  data: z.object({ attachmentId: z.uuid() }),
  retry: { limit: RETRIES, delaySeconds: 5 },
  timeoutSeconds: 300,
  // A process killed mid-extraction is noticed by its missing heartbeat and the document read
  // again by another, in under a minute rather than after the whole timeout. Generous, because a
  // large PDF keeps the event loop busy between pages.
  heartbeatSeconds: 30,
  async run({ attachmentId }, { em, config, retryCount }) {
    try {
      await extractAttachment(em, config.files ?? new PostgresFileStore(em), attachmentId);
    } catch (error) {
      if (retryCount >= RETRIES) {
        await em.nativeUpdate(Attachment, { id: attachmentId, status: 'processing' }, { status: 'failed', failure: 'unreadable' });
        return;
      }
      throw error;
    }
  },
});

export const attachmentJobs = [extractDocumentJob];
