import { hashPassword } from '@atrium/auth';
import { AnswerCache, seed, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServiceConfig } from '../context';
import { cacheHitJob } from '../routers/chat/after-work';
import { startServerProcess, type ServerProcess } from '../testing/server-processes';
import { jobCatalog } from './catalog';
import { JobRunner } from './runner';

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('jobs across real server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let orm: Orm;
  let servers: ServerProcess[] = [];
  const env = () => ({ DATABASE_URL: database.url, LDAP_URL: '', NODE_ENV: 'test', JOBS_POLL_SECONDS: '0.5' });

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.close();
  });

  /** Cache entries whose `hits` count how often the real `cache.hit` job ran for them. */
  async function entries(count: number) {
    const em = orm.em.fork();
    const rows = Array.from({ length: count }, (_, i) =>
      em.create(AnswerCache, { user: null, cacheKey: `k${i}`, question: 'q', answer: 'a', model: 'demo', expiresAt: new Date(Date.now() + 3_600_000) }),
    );
    await em.flush();
    return rows.map((row) => row.id);
  }
  const hitsOf = async (ids: string[]) =>
    (await orm.em.fork().find(AnswerCache, { id: { $in: ids } }, { orderBy: { id: 'asc' } })).map((row) => row.hits);

  /** Enqueues from a process of its own that then goes away, as a web request's process might. */
  async function enqueueAndLeave(ids: string[]) {
    const config = defaultServiceConfig();
    const producer = await JobRunner.start(orm, config, jobCatalog, { work: false, log: () => {} });
    for (const id of ids) await producer.enqueue(cacheHitJob, { entryId: id }, { once: id });
    await producer.stop();
  }

  it('keeps jobs enqueued while no worker runs, and two replicas run each exactly once', async () => {
    const ids = await entries(40);
    await enqueueAndLeave(ids);
    expect(await hitsOf(ids)).toEqual(ids.map(() => 0));

    servers = await Promise.all([startServerProcess(env()), startServerProcess(env())]);
    await expect.poll(async () => (await hitsOf(ids)).reduce((sum, hits) => sum + hits, 0)).toBe(40);
    expect(await hitsOf(ids)).toEqual(ids.map(() => 1));
  }, 120_000);

  it('runs what was enqueued while every replica was down, once one comes back', async () => {
    await Promise.all(servers.map((server) => server.stop()));
    const ids = await entries(10);
    await enqueueAndLeave(ids);
    servers = [await startServerProcess(env())];
    await expect.poll(async () => (await hitsOf(ids)).reduce((sum, hits) => sum + hits, 0)).toBe(10);
    expect(await hitsOf(ids)).toEqual(ids.map(() => 1));
    // A job is marked completed after its work's own commit: the last one's mark may still be on its way.
    const unfinished = async () => {
      const [row] = await orm.em
        .fork()
        .execute<{ count: string }[]>(`select count(*) as count from pgboss.job where name = 'cache.hit' and state <> 'completed'`);
      return Number(row?.count);
    };
    await expect.poll(unfinished).toBe(0);
  }, 120_000);
});
