import { Readable } from 'node:stream';
import { hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Attachment, seed, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { pdfWithPages } from '@atrium/testing/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServiceConfig } from '../../context';
import { PostgresFileStore } from '../../files';
import { jobCatalog } from '../../jobs/catalog';
import { JobRunner } from '../../jobs/runner';
import { lapseHeartbeat, startServerProcess, type ServerProcess } from '../../testing/server-processes';
import { storeUpload } from './attachments.service';
import { extractDocumentText } from './extract';
import { extractDocumentJob } from './extraction.job';

/** A few pages: the first server is stopped by a lock, not by the document's length (extract.test.ts tests the cut). */
const PAGES = 3;

// Killing one server and starting another against the same database is a PostgreSQL deployment.
describe.runIf(process.env.TEST_DATABASE_URL)('a document whose server is killed mid-extraction (kill -9), on PostgreSQL', () => {
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

  it('is read by the next server, by the same job, once the dead attempt is noticed', async () => {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em, { username: 'restart-extract' });
    // Uploaded through a web process that only enqueues (as /api/files does), then left.
    const { uploads } = defaultServiceConfig();
    const pdf = await pdfWithPages(PAGES);
    const attachment = await storeUpload({ em, files: new PostgresFileStore(orm.em), limits: uploads }, user, {
      name: 'long-lecture.pdf',
      body: Readable.from([pdf]),
    });
    const producer = await JobRunner.start(orm, defaultServiceConfig(), jobCatalog, { work: false, log: () => {} });
    await producer.enqueue(extractDocumentJob, { attachmentId: attachment.id }, { once: attachment.id });
    await producer.stop();

    const job = () =>
      orm.em.fork().execute<{ state: string; retry_count: number }[]>(`select state, retry_count from pgboss.job where name = 'attachments.extract' and data->>'attachmentId' = ?`, [
        attachment.id,
      ]);
    const read = () => orm.em.fork().findOneOrFail(Attachment, attachment.id, { populate: ['extractedText'] });
    // The file's chunks are locked while the first server starts, so its read stops at the first
    // chunk and the plug is pulled mid-extraction on any machine. (Polling for the job to be active
    // raced: a server takes its jobs before it listens, and a busy machine could read the whole
    // document before the test heard it was listening.)
    await orm.em.fork().transactional(async (locked) => {
      await locked.execute('lock table file_chunks in access exclusive mode');
      const first = await startServerProcess(env());
      servers.push(first);
      const readerWaiting = async () =>
        (await orm.em.fork().execute(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%file_chunks%'`)).length;
      await expect.poll(readerWaiting, { timeout: 60_000, interval: 20 }).toBe(1);
      expect((await job())[0]?.state).toBe('active');
      await first.stop('SIGKILL');
    });
    expect((await read()).status).toBe('processing');

    await lapseHeartbeat(orm.em.fork(), 'attachments.extract', 'attachmentId', attachment.id);
    // The next server notices the dead attempt by its missing heartbeat and reads the document again.
    servers.push(await startServerProcess(env({ JOBS_SUPERVISE_SECONDS: '1' })));
    await expect.poll(async () => (await read()).status, { timeout: 120_000, interval: 250 }).toBe('ready');
    const text = (await read()).extractedText!;
    // Every page, from the first on, as one uninterrupted read gives it: nothing of the dead attempt is kept.
    expect(text.startsWith('Page 1, line 1:')).toBe(true);
    expect(text).toBe(await extractDocumentText('pdf', Readable.from([pdf])));
    expect(await job()).toEqual([{ state: 'completed', retry_count: 1 }]);
  }, 240_000);
});
