import { AnswerCache } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultServiceConfig, type ServiceConfig } from '../context';
import { jobCatalog } from './catalog';
import { defineJob, JobRunner } from './runner';

describe.each(testDatabaseKinds())('jobs on pg-boss (%s)', (kind) => {
  let db: TestDatabase;
  let runner: JobRunner;
  const config: ServiceConfig = defaultServiceConfig();
  const attempts = new Map<string, number>();

  /** Fails its first `failures` attempts for a key, then bumps that cache entry's hits: what ran is in the database. */
  const flaky = defineJob({
    name: 'test.flaky',
    data: z.object({ entryId: z.uuid(), failures: z.number().int().min(0) }),
    retry: { limit: 2, delaySeconds: 0, backoff: false },
    async run(data, { em }) {
      const seen = (attempts.get(data.entryId) ?? 0) + 1;
      attempts.set(data.entryId, seen);
      if (seen <= data.failures) throw new Error(`attempt ${seen} of ${data.entryId} failed on purpose`);
      await em.execute('update answer_cache set hits = hits + 1 where id = ?', [data.entryId]);
    },
  });

  const never = defineJob({ name: 'test.unlisted', data: z.object({}), run: async () => undefined });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    runner = await JobRunner.start(db.orm, config, [...jobCatalog, flaky], { work: false, log: () => {} });
    config.jobs = runner;
  });
  afterAll(async () => {
    await runner?.stop();
    await db?.close();
  });

  async function entry() {
    const em = db.orm.em.fork();
    const row = em.create(AnswerCache, { user: null, cacheKey: 'k', question: 'q', answer: 'a', model: 'demo', expiresAt: new Date(Date.now() + 3_600_000) });
    await em.flush();
    return row.id;
  }
  const hits = async (id: string) => (await db.orm.em.fork().findOneOrFail(AnswerCache, id)).hits;

  it('runs a job with its own EntityManager, retrying failed attempts until one succeeds', async () => {
    const id = await entry();
    const jobId = await runner.enqueue(flaky, { entryId: id, failures: 2 });
    expect(jobId).toEqual(expect.any(String));
    expect(await runner.drain()).toBe(3);
    expect(await hits(id)).toBe(1);
    const job = await runner.find(flaky.name, jobId!);
    expect(job).toMatchObject({ state: 'completed', retryCount: 2 });
  });

  it('fails a job for good after its retries, keeps the reason, and runs it again on retry', async () => {
    const id = await entry();
    const jobId = (await runner.enqueue(flaky, { entryId: id, failures: 3 }))!;
    expect(await runner.drain()).toBe(3);
    const failed = await runner.find(flaky.name, jobId);
    expect(failed).toMatchObject({ state: 'failed', output: { message: `attempt 3 of ${id} failed on purpose` } });
    expect(await hits(id)).toBe(0);

    expect(await runner.retry(flaky.name, jobId)).toBe(true);
    expect(await runner.drain()).toBe(1);
    expect(await runner.find(flaky.name, jobId)).toMatchObject({ state: 'completed' });
    expect(await hits(id)).toBe(1);
  });

  it('enqueues a job once per key, however often it is asked', async () => {
    const id = await entry();
    const first = await runner.enqueue(flaky, { entryId: id, failures: 0 }, { once: `entry:${id}` });
    expect(first).toEqual(expect.any(String));
    expect(await runner.enqueue(flaky, { entryId: id, failures: 0 }, { once: `entry:${id}` })).toBeNull();
    await runner.drain();
    // Still once after it ran.
    expect(await runner.enqueue(flaky, { entryId: id, failures: 0 }, { once: `entry:${id}` })).toBeNull();
    await runner.drain();
    expect(await hits(id)).toBe(1);
  });

  it('does not run a job before its start time', async () => {
    const id = await entry();
    await runner.enqueue(flaky, { entryId: id, failures: 0 }, { startAfter: new Date(Date.now() + 3_600_000) });
    expect(await runner.drain()).toBe(0);
    expect(await hits(id)).toBe(0);
  });

  it('refuses a payload that does not match the job, and a job kind that is not in the catalogue', async () => {
    await expect(runner.enqueue(flaky, { entryId: 'not-a-uuid', failures: 0 })).rejects.toThrow(/Invalid data for job "test.flaky"/);
    await expect(runner.enqueue(never, {})).rejects.toThrow(/Unknown job "test.unlisted"/);
  });

  it('creates a queue for every job in the catalogue, with its retry policy', async () => {
    const queues = await runner.boss.getQueues();
    for (const job of jobCatalog) expect(queues.map((queue) => queue.name)).toContain(job.name);
    expect(queues.find((queue) => queue.name === 'chat.title')).toMatchObject({ retryLimit: 3, retryDelay: 5, retryBackoff: true });
  });
});

describe.each(testDatabaseKinds())('job workers and schedules (%s)', (kind) => {
  let db: TestDatabase;
  let runner: JobRunner;
  const ran: string[] = [];
  let ranOne: (id: string) => void = () => {};

  const echo = defineJob({
    name: 'test.echo',
    data: z.object({ id: z.string() }),
    async run(data) {
      ran.push(data.id);
      ranOne(data.id);
    },
  });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const config = defaultServiceConfig();
    runner = await JobRunner.start(db.orm, config, [...jobCatalog, echo], { work: true, pollingSeconds: 0.5, log: () => {} });
    config.jobs = runner;
  });
  afterAll(async () => {
    await runner?.stop({ timeoutMs: 1000 });
    await db?.close();
  });

  it('works an enqueued job in the background, once', async () => {
    const done = new Promise<string>((resolve) => (ranOne = resolve));
    await runner.enqueue(echo, { id: 'first' });
    expect(await done).toBe('first');
    expect(ran).toEqual(['first']);
  });

  it('registers the hourly sweeps and the minutely lease release as schedules', async () => {
    const schedules = await runner.boss.getSchedules();
    expect(schedules.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      expect.objectContaining({ name: 'housekeeping.sweep', cron: '7 * * * *', timezone: 'UTC' }),
      expect.objectContaining({ name: 'retention.apply', cron: '27 * * * *', timezone: 'UTC' }),
      expect.objectContaining({ name: 'usage.releaseLeases', cron: '* * * * *', timezone: 'UTC' }),
    ]);
  });
});
