import { recordAudit } from '@atrium/auth';
import { NotFoundError, type EntityManager, type IUser } from '@atrium/db';
import type { JobAdmin, JobStatus } from '../../jobs/runner';

export async function jobsOverview(jobs: JobAdmin) {
  const queues = await jobs.counts();
  const total = (key: 'queued' | 'running' | 'failed' | 'completed') => queues.reduce((sum, queue) => sum + queue[key], 0);
  return { queues, totals: { queued: total('queued'), running: total('running'), failed: total('failed'), completed: total('completed') } };
}

export async function listJobs(
  jobs: JobAdmin,
  input: { status: JobStatus; name?: string; cursor?: { createdAt: Date; id: string }; limit: number },
) {
  const rows = await jobs.list({ status: input.status, name: input.name, before: input.cursor, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** Runs a failed job again from its first attempt; audited. */
export async function retryJob(em: EntityManager, jobs: JobAdmin, admin: IUser, input: { name: string; id: string }) {
  if (!(await jobs.retry(input.name, input.id))) throw new NotFoundError('There is no failed job with that id.');
  recordAudit(em, admin.id, 'jobs.retry', input.id, { name: input.name });
  await em.flush();
  return { retried: true };
}
