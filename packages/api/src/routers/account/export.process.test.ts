import { hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Conversation, DataExport, exportStorageKey, Message, seed, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServiceConfig } from '../../context';
import { PostgresFileStore } from '../../files';
import { jobCatalog } from '../../jobs/catalog';
import { JobRunner } from '../../jobs/runner';
import { lapseHeartbeat, startServerProcess, type ServerProcess } from '../../testing/server-processes';
import { buildExportJob } from './export.job';
import { readZip } from './zip.testing';

/** Enough conversations that the build is still going when the test pulls the plug. */
const CONVERSATIONS = 1000;

// Killing one server and starting another against the same database is a PostgreSQL deployment.
describe.runIf(process.env.TEST_DATABASE_URL)('an export whose server is killed mid-build (kill -9), on PostgreSQL', () => {
  let database: TestDatabase;
  let orm: Orm;
  const servers: ServerProcess[] = [];
  const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: database.url, LDAP_URL: '', NODE_ENV: 'test', JOBS_POLL_SECONDS: '0.5', ...extra });

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await database?.close();
  });

  it('is built whole by the next server, by the same job, once', async () => {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em, { username: 'restart-export' });
    for (let i = 0; i < CONVERSATIONS; i++) {
      const conversation = em.create(Conversation, { user, title: `Lecture ${i}` });
      em.create(Message, { conversation, role: 'user', content: `Question about lecture ${i}` });
    }
    const exportRow = em.create(DataExport, { user });
    await em.flush();
    // Asked for by a web process that enqueues only, then left.
    const producer = await JobRunner.start(orm, defaultServiceConfig(), jobCatalog, { work: false, log: () => {} });
    await producer.enqueue(buildExportJob, { exportId: exportRow.id });
    await producer.stop();

    const read = () => orm.em.fork().findOneOrFail(DataExport, { id: exportRow.id });
    const first = await startServerProcess(env());
    servers.push(first);
    await expect.poll(async () => (await read()).progress, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    await first.stop('SIGKILL');
    const cut = await read();
    expect(cut.status).toBe('running');
    expect(cut.progress).toBeLessThan(cut.total);

    await lapseHeartbeat(orm.em.fork(), 'account.export', 'exportId', exportRow.id);
    // The next server notices the dead attempt by its missing heartbeat and runs the job again.
    servers.push(await startServerProcess(env({ JOBS_SUPERVISE_SECONDS: '1' })));
    await expect.poll(async () => (await read()).status, { timeout: 90_000, interval: 250 }).toBe('ready');
    const done = await read();
    expect(done.progress).toBe(done.total);
    expect(done.total).toBe(CONVERSATIONS + 2);

    const jobs = await orm.em
      .fork()
      .execute<{ state: string; retry_count: number }[]>(`select state, retry_count from pgboss.job where name = 'account.export' and data->>'exportId' = ?`, [
        exportRow.id,
      ]);
    expect(jobs).toEqual([{ state: 'completed', retry_count: 1 }]);

    const archive = await readZip(await new PostgresFileStore(orm.em).get(exportStorageKey(exportRow.id)));
    expect([...archive.keys()].filter((name) => name.endsWith('.md'))).toHaveLength(CONVERSATIONS);
    expect(archive.get('index.html')!.toString()).toContain('Lecture 999 (Markdown)');
  }, 180_000);
});
