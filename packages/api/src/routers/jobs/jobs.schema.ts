import { z } from 'zod';

export const jobStatus = z.enum(['queued', 'running', 'failed', 'completed', 'cancelled']);

const jobName = z.string().min(1).max(100).regex(/^[a-z0-9_.-]+$/i, 'Not a job name.');

/** One status at a time, newest first; `cursor` is the last row of the previous page. */
export const listJobsInput = z.object({
  status: jobStatus.default('failed'),
  name: jobName.optional(),
  cursor: z.object({ createdAt: z.coerce.date(), id: z.uuid() }).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const retryJobInput = z.object({ name: jobName, id: z.uuid() });
