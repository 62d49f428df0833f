import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Attachment } from '@atrium/db';
import { pdfWithText } from '@atrium/testing/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../testing';

describe('document extraction across a restart', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-restart-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('finishes a document the stopped server left unread when the next one starts', async () => {
    const target = { kind: 'pglite' as const, dataDir };
    const first = await startTestApiServer({ target });
    // The first process stops working before it gets to the document, as a crash or a deploy would.
    await first.runtime.extraction.stop();
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

    const second = await startTestApiServer({ target });
    try {
      await second.runtime.extraction.idle();
      const stored = await second.runtime.orm.em.fork().findOneOrFail(Attachment, attachment.id, { populate: ['extractedText'] });
      expect(stored.status).toBe('ready');
      expect(stored.extractedText).toContain('Survives restarts: chapter one.');
    } finally {
      await second.close();
    }
  });
});
