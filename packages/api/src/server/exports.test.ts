import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { AuditEvent, DataExport, exportStorageKey, User, type Role } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { createContextInner } from '../context';
import { buildExportJob } from '../routers/account/export.job';
import { readZip } from '../routers/account/zip.testing';
import { startTestApiServer } from '../testing';

/** Downloading a finished "download my data" archive over real HTTP, with the session cookie. */
describe('GET /api/exports/:id', () => {
  let server: Awaited<ReturnType<typeof startTestApiServer>>;
  beforeAll(async () => {
    server = await startTestApiServer({ workJobs: false });
  });
  afterAll(() => server?.close());
  const em = () => server.runtime.orm.em.fork();

  async function person(role: Role = 'student') {
    const fork = em();
    const { user } = await makeLocalUser(fork, { role });
    const { token } = await createSession(fork, user, { type: 'active_session' });
    const caller = createCaller(createContextInner({ em: em(), user, config: server.runtime.config, files: server.runtime.files }));
    const get = (id: string) => fetch(`${server.url}/api/exports/${id}`, { headers: { cookie: `atrium_session=${token}` } });
    return { user, caller, get };
  }
  const built = () => server.runtime.jobs.drain({ only: [buildExportJob] });

  it('streams my finished archive to me as a zip download, and to nobody else', async () => {
    const me = await person();
    const requested = await me.caller.account.requestExport();
    expect((await me.get(requested.id)).status).toBe(409);
    await built();
    const [ready] = await me.caller.account.exports();
    expect(ready).toMatchObject({ status: 'ready', downloadUrl: `/api/exports/${requested.id}` });

    const response = await me.get(requested.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const day = ready!.finishedAt!.toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${me.user.username}-data-${day}.zip"; filename*=UTF-8''${me.user.username}-data-${day}.zip`,
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(response.headers.get('content-length'))).toBe(ready!.size);
    const archive = await readZip(Readable.fromWeb(response.body as WebReadableStream));
    expect(JSON.parse(archive.get('account.json')!.toString()).profile.username).toBe(me.user.username);

    // Someone else, an administrator who did not make it, and nobody at all: no such export.
    expect((await (await person()).get(requested.id)).status).toBe(404);
    expect((await (await person('admin')).get(requested.id)).status).toBe(404);
    expect((await fetch(`${server.url}/api/exports/${requested.id}`)).status).toBe(404);
    expect((await me.get('not-a-uuid')).status).toBe(404);
  });

  it('refuses an archive past its download time, and one whose owner may no longer export', async () => {
    const me = await person();
    const requested = await me.caller.account.requestExport();
    await built();
    await em().nativeUpdate(DataExport, { id: requested.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await me.get(requested.id);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toEqual({ error: { code: 'GONE', message: 'This export has expired. Ask for a new one.' } });

    const again = await me.caller.account.requestExport();
    await built();
    expect((await me.get(again.id)).status).toBe(200);
    await em().nativeUpdate(User, { id: me.user.id }, { permissions: { exportData: false } });
    expect((await me.get(again.id)).status).toBe(404);
  });

  it('gives an archive an administrator made for a user to that administrator, audited', async () => {
    const admin = await person('admin');
    const student = await person();
    const requested = await admin.caller.account.admin.requestExport({ userId: student.user.id });
    await built();
    // The student's own list holds only what they asked for; the administrator sees theirs.
    expect(await student.caller.account.exports()).toEqual([]);
    expect(await admin.caller.account.admin.exports({ userId: student.user.id })).toMatchObject([{ id: requested.id, status: 'ready' }]);
    expect(await (await person('admin')).caller.account.admin.exports({ userId: student.user.id })).toEqual([]);

    const response = await admin.get(requested.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`filename="${student.user.username}-data-`);
    const archive = await readZip(Readable.fromWeb(response.body as WebReadableStream));
    expect(JSON.parse(archive.get('account.json')!.toString()).profile.id).toBe(student.user.id);
    expect(await em().count(AuditEvent, { action: 'user.export.download', actor: admin.user.id, target: student.user.id })).toBe(1);
    // It is the student's data: they may download it too (not audited: it is their own).
    expect((await student.get(requested.id)).status).toBe(200);
    expect(await em().count(AuditEvent, { action: 'user.export.download' })).toBe(1);
    expect(await server.runtime.files.exists(exportStorageKey(requested.id))).toBe(true);
  });
});
