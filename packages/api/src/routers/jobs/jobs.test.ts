import { AuditEvent } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../jobs/runner';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('jobs.admin on %s', (kind) => {
  let kit: ApiTestKit;
  let fixed = false;
  /** Fails until the test "fixes" it, like a job waiting on a provider that is down. */
  const brittle = defineJob({
    name: 'test.brittle',
    data: z.object({ n: z.number() }),
    retry: { limit: 1, delaySeconds: 0, backoff: false },
    async run() {
      if (!fixed) throw new Error('The provider is down.');
    },
  });

  beforeAll(async () => {
    kit = await createApiTestKit(kind, { jobs: [brittle] });
  });
  afterAll(() => kit?.close());

  it('shows queued and failed jobs with the reason, and retries a failed one (audited)', async () => {
    const admin = await kit.signedIn('admin');
    const failedId = (await kit.jobs.enqueue(brittle, { n: 1 }))!;
    await kit.jobs.drain();
    const waitingId = (await kit.jobs.enqueue(brittle, { n: 2 }))!;

    const overview = await admin.caller.jobs.admin.overview();
    expect(overview.queues.find((queue) => queue.name === 'test.brittle')).toEqual({ name: 'test.brittle', queued: 1, running: 0, failed: 1, completed: 0 });
    expect(overview.queues.map((queue) => queue.name)).toEqual(expect.arrayContaining(['chat.title', 'chat.summary', 'cache.store', 'housekeeping.sweep']));
    expect(overview.totals).toMatchObject({ queued: 1, failed: 1 });

    const failed = await admin.caller.jobs.admin.list({ status: 'failed' });
    expect(failed.items).toEqual([
      expect.objectContaining({ id: failedId, name: 'test.brittle', status: 'failed', attempts: 2, maxAttempts: 2, reason: 'The provider is down.' }),
    ]);
    const queued = await admin.caller.jobs.admin.list({ status: 'queued', name: 'test.brittle' });
    expect(queued.items.map((job) => [job.id, job.status, job.attempts, job.reason])).toEqual([[waitingId, 'queued', 0, null]]);

    fixed = true;
    await expect(admin.caller.jobs.admin.retry({ name: 'test.brittle', id: failedId })).resolves.toEqual({ retried: true });
    expect(await kit.jobs.drain()).toBe(2);
    expect((await admin.caller.jobs.admin.list({ status: 'completed', name: 'test.brittle' })).items.map((job) => job.id).sort()).toEqual(
      [failedId, waitingId].sort(),
    );
    expect(await kit.db.orm.em.fork().count(AuditEvent, { action: 'jobs.retry', target: failedId })).toBe(1);
  });

  it('pages through jobs newest first', async () => {
    const admin = await kit.signedIn('admin');
    for (let n = 0; n < 5; n++) await kit.jobs.enqueue(brittle, { n });
    const first = await admin.caller.jobs.admin.list({ status: 'queued', name: 'test.brittle', limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await admin.caller.jobs.admin.list({ status: 'queued', name: 'test.brittle', limit: 3, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((job) => job.id)).size).toBe(5);

    // Enqueued within one millisecond (pg-boss stamps microseconds, a cursor carries milliseconds): none falls between pages.
    await kit.db.orm.em.fork().execute(
      `update pgboss.job j set created_on = timestamptz '2026-11-30 10:00:00.123+00' + s.n * interval '1 microsecond'
         from (select id, row_number() over (order by id desc) as n from pgboss.job where name = 'test.brittle' and state = 'created') s
        where j.id = s.id`,
    );
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | undefined;
    do {
      const page = await admin.caller.jobs.admin.list({ status: 'queued', name: 'test.brittle', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((job) => job.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...first.items, ...second.items].map((job) => job.id).sort());
    await kit.jobs.drain();
  });

  it('answers NOT_FOUND for a job that is not failed or not there, and refuses bad input', async () => {
    const admin = await kit.signedIn('admin');
    const queuedId = (await kit.jobs.enqueue(brittle, { n: 9 }))!;
    await expect(admin.caller.jobs.admin.retry({ name: 'test.brittle', id: queuedId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.caller.jobs.admin.retry({ name: 'no.such', id: queuedId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.caller.jobs.admin.retry({ name: 'test.brittle', id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.caller.jobs.admin.list({ status: 'broken' as 'failed' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await kit.jobs.drain();
  });

  it('is for administrators only', async () => {
    const student = await kit.signedIn('student');
    const staff = await kit.signedIn('staff');
    for (const caller of [student.caller, staff.caller]) {
      await expect(caller.jobs.admin.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.jobs.admin.list({ status: 'failed' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(kit.anonymous().jobs.admin.overview()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
