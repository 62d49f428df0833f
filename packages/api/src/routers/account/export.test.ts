import { Readable } from 'node:stream';
import { AuditEvent, Attachment, DataExport, exportStorageKey, Message, User } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore } from '../../files';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { afterWorkSettled } from '../chat/chat.service';
import { retentionJob } from '../retention/retention.job';
import { buildExportJob } from './export.job';
import { readZip } from './zip.testing';

async function drain(stream: AsyncIterable<unknown>) {
  const events: { type: string; [key: string]: unknown }[] = [];
  for await (const event of stream) events.push(event as (typeof events)[number]);
  return events;
}

describe.each(testDatabaseKinds())('data export on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  let files: FileStore;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
    files = kit.config.files!;
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });
  const em = () => kit.db.orm.em.fork();

  /** A user with chats, memory, a style, a rating and a stored file, each marked with `tag`. */
  async function footprint(tag: string) {
    const me = await kit.signedIn();
    const caller = me.caller;
    const first = await drain(await caller.chat.send({ content: `Question one from ${tag}`, modelId: 'demo' }));
    const conversationId = (first[0] as unknown as { conversation: { id: string } }).conversation.id;
    kit.clock.advance(1000);
    await drain(await caller.chat.send({ conversationId, content: `Follow-up from ${tag}`, modelId: 'demo' }));
    await drain(await caller.chat.send({ content: `Another chat from ${tag}`, modelId: 'demo' }));
    await afterWorkSettled();
    const answer = (await caller.chat.messages({ conversationId })).items.find((message) => message.role === 'assistant')!;
    await caller.feedback.give({ messageId: answer.id, type: 'like', comment: `Liked by ${tag}` });
    await caller.preferences.create({ key: 'major', value: `Physics of ${tag}` });
    await caller.presets.create({ name: `Style of ${tag}`, systemPromptTemplate: `Be brief, ${tag}.` });
    const fork = em();
    const storageKey = `attachments/test/${tag}`;
    await files.put(storageKey, Readable.from([Buffer.from(`%PDF notes of ${tag}`)]));
    fork.create(Attachment, {
      user: me.user.id,
      message: await fork.findOneOrFail(Message, { id: answer.id }),
      type: 'document',
      name: `notes ${tag}.pdf`,
      mimeType: 'application/pdf',
      size: 10,
      storageKey,
    });
    await fork.flush();
    return { ...me, conversationId };
  }

  const archiveOf = async (exportId: string) => readZip(await files.get(exportStorageKey(exportId)));

  it('builds an archive in the background with every item of mine and nothing of anyone else', async () => {
    const mine = await footprint(`alpha-${kind}`);
    await footprint(`omega-${kind}`);
    const requested = await mine.caller.account.requestExport();
    expect(requested).toMatchObject({ status: 'queued', progress: 0 });
    // Asking again while it is being built gives the same export.
    expect((await mine.caller.account.requestExport()).id).toBe(requested.id);

    await kit.jobs.drain({ only: [buildExportJob] });
    const [ready] = await kit.callerFor(mine.user).account.exports();
    expect(ready).toMatchObject({ id: requested.id, status: 'ready', total: 2 + 2 + 1 });
    expect(ready!.progress).toBe(ready!.total);
    expect(ready!.size).toBeGreaterThan(0);
    expect(ready!.expiresAt!.getTime() - ready!.finishedAt!.getTime()).toBe(24 * 60 * 60 * 1000);

    const archive = await archiveOf(requested.id);
    const names = [...archive.keys()].sort();
    expect(names.filter((name) => name.startsWith('conversations/') && name.endsWith('.md'))).toHaveLength(2);
    expect(names.filter((name) => name.startsWith('conversations/') && name.endsWith('.json'))).toHaveLength(2);
    expect(names).toEqual(expect.arrayContaining(['index.html', 'account.json', 'usage.json']));
    const index = archive.get('index.html')!.toString();
    for (const name of names.filter((name) => name !== 'index.html')) expect(index).toContain(`href="${name}"`);

    const account = JSON.parse(archive.get('account.json')!.toString());
    expect(account.profile).toMatchObject({ id: mine.user.id, username: mine.user.username, role: 'student' });
    expect(account.sessions).toHaveLength(1);
    expect(account.memory).toEqual([expect.objectContaining({ key: 'major', value: `Physics of alpha-${kind}` })]);
    expect(account.styles).toEqual([expect.objectContaining({ name: `Style of alpha-${kind}` })]);
    expect(account.feedback).toEqual([expect.objectContaining({ type: 'like', comment: `Liked by alpha-${kind}` })]);
    expect(JSON.parse(archive.get('usage.json')!.toString())).toEqual([expect.objectContaining({ model: 'demo', requests: 3 })]);

    const chat = names.find((name) => name.endsWith(`${mine.conversationId}.json`))!;
    const conversation = JSON.parse(archive.get(chat)!.toString());
    expect(conversation.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(conversation.messages[1]).toMatchObject({ model: 'demo', promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    expect(archive.get(chat.replace(/\.json$/, '.md'))!.toString()).toContain(`Follow-up from alpha-${kind}`);
    const attachment = names.find((name) => name.startsWith('attachments/'))!;
    expect(archive.get(attachment)!.toString()).toBe(`%PDF notes of alpha-${kind}`);

    const everything = [...archive.values()].map((content) => content.toString()).join('\n');
    expect(everything).not.toContain(`omega-${kind}`);
    // Another user sees none of my exports.
    const other = await kit.signedIn();
    expect(await other.caller.account.exports()).toEqual([]);
  });

  it('survives a stop mid-build: nothing half-written is kept and the queued job finishes it later', async () => {
    const mine = await footprint(`restart-${kind}`);
    const requested = await mine.caller.account.requestExport();
    // The process is stopping: the first item is written, then the attempt gives up, as a worker's would.
    const stopping = new AbortController();
    stopping.abort(new Error('The process is stopping.'));
    await expect(
      buildExportJob.run({ exportId: requested.id }, { em: em(), config: kit.config, jobId: 'direct', retryCount: 0, signal: stopping.signal }),
    ).rejects.toThrow('The process is stopping.');
    expect(await em().findOneOrFail(DataExport, { id: requested.id })).toMatchObject({ status: 'queued', error: 'The process is stopping.' });
    expect(await files.exists(exportStorageKey(requested.id))).toBe(false);

    // The job enqueued with the request is still in pg-boss: the next worker builds it whole.
    await kit.jobs.drain({ only: [buildExportJob] });
    expect(await em().findOneOrFail(DataExport, { id: requested.id })).toMatchObject({ status: 'ready' });
    expect((await archiveOf(requested.id)).has('index.html')).toBe(true);
  });

  it('expires: after its download time it reads as expired, and the sweep removes the file and the row', async () => {
    const me = await kit.signedIn();
    const requested = await me.caller.account.requestExport();
    await kit.jobs.drain({ only: [buildExportJob] });
    expect(await files.exists(exportStorageKey(requested.id))).toBe(true);
    kit.clock.advance(24 * 60 * 60 * 1000 + 1);
    expect((await kit.callerFor(me.user).account.exports())[0]).toMatchObject({ status: 'expired' });
    await kit.config.jobs.enqueue(retentionJob, {});
    await kit.jobs.drain({ only: [retentionJob] });
    expect(await files.exists(exportStorageKey(requested.id))).toBe(false);
    expect(await em().count(DataExport, { id: requested.id })).toBe(0);
  });

  it('is gated by the exportData permission; an administrator may export anyone, audited', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn();
    await admin.caller.users.setPermissions({ id: student.user.id, permissions: { exportData: false } });
    const withheld = await em().findOneOrFail(User, { id: student.user.id });
    await expect(kit.callerFor(withheld).account.requestExport()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const byAdmin = await admin.caller.account.admin.requestExport({ userId: student.user.id });
    expect(byAdmin.status).toBe('queued');
    const row = await em().findOneOrFail(DataExport, { id: byAdmin.id });
    expect([row.user.id, row.requestedBy?.id]).toEqual([student.user.id, admin.user.id]);
    expect(await em().count(AuditEvent, { action: 'user.export', target: student.user.id, actor: admin.user.id })).toBe(1);
    await expect(admin.caller.account.admin.requestExport({ userId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
