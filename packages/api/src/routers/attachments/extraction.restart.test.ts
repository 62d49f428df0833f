import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Attachment, type DatabaseTarget } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import { pdfWithText } from '@atrium/testing/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../testing';

type Database = { target: DatabaseTarget; drop(): Promise<void> };
const databases: { name: string; open(): Promise<Database> }[] = [
  {
    name: 'PGlite on disk',
    async open() {
      const dataDir = await mkdtemp(join(tmpdir(), 'atrium-restart-'));
      return { target: { kind: 'pglite', dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
    },
  },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', open: () => createPostgresDatabase() }] : []),
];

describe.each(databases)('document extraction across a restart ($name)', ({ open }) => {
  let database: Database;
  let first: Awaited<ReturnType<typeof startTestApiServer>>;
  beforeAll(async () => {
    database = await open();
    // The first process takes the upload and queues the job, but never works jobs: it stops before any worker runs it.
    first = await startTestApiServer({ target: database.target, workJobs: false });
  });
  afterAll(() => database?.drop());

  it('finishes a document whose job the stopped server queued but never ran, when the next one starts', async () => {
    const em = first.runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, {});
    const { token } = await createSession(em, user, { type: 'active_session' });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await pdfWithText(['Survives restarts: chapter one.']))]), 'chapter.pdf');
    const response = await fetch(`${first.url}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(201);
    const { attachment } = (await response.json()) as { attachment: { id: string; status: string } };
    expect(attachment.status).toBe('processing');
    await first.close();

    const second = await startTestApiServer({ target: database.target, workJobs: true });
    try {
      const read = () => second.runtime.orm.em.fork().findOneOrFail(Attachment, attachment.id, { populate: ['extractedText'] });
      await expect.poll(async () => (await read()).status).toBe('ready');
      expect((await read()).extractedText).toContain('Survives restarts: chapter one.');
    } finally {
      await second.close();
    }
  });
});
