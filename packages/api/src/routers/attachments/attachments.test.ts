import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Attachment, Model, User, type IUser } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import { docxWithText, pdfWithoutText, pdfWithText } from '@atrium/testing/files';
import { startS3Server, type S3Server } from '@atrium/testing/s3';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContextInner } from '../../context';
import { createFileStore, readFilesEnv, type FileStore } from '../../files';
import { createCaller } from '../../root';
import { startTestApiServer } from '../../testing';
import { afterWorkSettled } from '../chat/chat.service';
import { sweepFiles } from './sweep.service';

type Server = Awaited<ReturnType<typeof startTestApiServer>>;
const MiB = 1024 * 1024;

const pngOf = (width = 40, height = 30) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
/** A JPEG carrying camera and GPS EXIF tags, as a phone photo does. */
const jpegWithGps = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '41/1 0/1 3600/100', GPSLongitudeRef: 'E', GPSLongitude: '28/1 58/1 0/1' } })
    .toBuffer();

async function collect(stream: AsyncIterable<unknown>) {
  const events: Record<string, unknown>[] = [];
  for await (const event of stream) events.push(event as Record<string, unknown>);
  return events;
}

const drivers = [
  { name: 'PostgreSQL store on PGlite', s3: false, postgres: false },
  { name: 'S3 store (s3rver on loopback)', s3: true, postgres: false },
  // CI's real PostgreSQL: the quota race runs on real concurrent connections there.
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL store on PostgreSQL', s3: false, postgres: true }] : []),
];

describe.each(drivers)('attachments over HTTP with the $name', ({ s3: useS3, postgres }) => {
  let stub: StubUpstream;
  let s3: S3Server | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let server: Server;

  beforeAll(async () => {
    stub = await startStubUpstream();
    s3 = useS3 ? await startS3Server() : undefined;
    database = postgres ? await createPostgresDatabase() : undefined;
    server = await startTestApiServer({
      seed: true,
      // Jobs (extraction, titles) run when a test drains them, so none takes a reply scripted for a question.
      workJobs: false,
      ...(database ? { target: database.target } : {}),
      config: {
        providers: { demo: { baseURL: stub.url }, openai: { apiKey: 'test-key', baseURL: stub.url } },
        llm: { timeoutMs: 5000 },
        uploads: { maxDocumentBytes: 2 * MiB, maxImageBytes: 2 * MiB, maxTextBytes: 64 * 1024, maxImagePixels: 1_000_000 },
      },
      ...(s3 ? { files: (orm) => createFileStore(orm, readFilesEnv(s3!.env)) } : {}),
    });
    const em = server.runtime.orm.em.fork();
    em.create(Model, { id: 'vision-test', provider: 'openai', providerModelId: 'chat:gpt-vision', displayName: 'Vision test', supportsVision: true });
    await em.flush();
  });
  beforeEach(async () => {
    await afterWorkSettled();
    stub.reset();
  });
  afterAll(async () => {
    await afterWorkSettled();
    await server?.close();
    await database?.drop();
    await s3?.stop();
    await stub?.close();
  });

  const store = (): FileStore => server.runtime.files;
  /** The answer request for a question (title and summary jobs talk to the same stub). */
  const answerTo = (question: string) => stub.requests.find((request) => request.messages.at(-1)?.content.endsWith(question))!;

  async function person(role: 'student' | 'admin' = 'student', permissions: Record<string, boolean> = {}) {
    const em = server.runtime.orm.em.fork();
    const { user } = await makeLocalUser(em, { role });
    if (Object.keys(permissions).length) {
      user.permissions = permissions;
      await em.flush();
    }
    const { token } = await createSession(em, user, { type: 'active_session' });
    const caller = createCaller(createContextInner({ em: server.runtime.orm.em.fork(), user, config: server.runtime.config, files: server.runtime.files }));
    return { user, token, caller };
  }

  async function upload(token: string | null, name: string, data: Uint8Array, headers: Record<string, string> = {}) {
    const form = new FormData();
    // The browser's claimed type is a lie on purpose: only the bytes count.
    form.append('file', new Blob([new Uint8Array(data)], { type: 'image/png' }), name);
    const response = await fetch(`${server.url}/api/files`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as { attachment: { id: string; status: string; type: string; mimeType: string }; error: { reason?: string; message: string } } };
  }

  const download = (token: string | null, id: string, query = '') =>
    fetch(`${server.url}/api/files/${id}${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  const waitForStatus = async (caller: Awaited<ReturnType<typeof person>>['caller'], id: string) => {
    await server.runtime.jobs.drain();
    expect((await caller.attachments.get({ id })).status).not.toBe('processing');
  };

  async function keysOf(user: IUser) {
    const keys: string[] = [];
    for await (const file of store().list(`attachments/${user.id}/`)) keys.push(file.key);
    return keys;
  }

  it('reads a PDF in the background and puts its text into the prompt the model receives', async () => {
    const me = await person();
    const pdf = await pdfWithText(['Lecture 7: Thermodynamics', 'The exam is on 14 June in room B-204.']);
    const { status, body } = await upload(me.token, 'lecture-7.pdf', pdf);
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ type: 'document', mimeType: 'application/pdf', status: 'processing' });
    await waitForStatus(me.caller, body.attachment.id);
    expect(await me.caller.attachments.get({ id: body.attachment.id })).toMatchObject({ status: 'ready', failure: null });

    stub.script({ text: 'The exam is on 14 June.' });
    const events = await collect(await me.caller.chat.send({ content: 'When is the exam?', modelId: 'demo', attachmentIds: [body.attachment.id] }));
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    const prompt = answerTo('When is the exam?').messages.at(-1)!.content;
    expect(prompt).toContain('<document name="lecture-7.pdf">');
    expect(prompt).toContain('The exam is on 14 June in room B-204.');
    expect(prompt).toContain('When is the exam?');

    // The attachment belongs to the question now, and shows with it after a reload.
    const conversationId = (events[0]!.conversation as { id: string }).id;
    const { items } = await me.caller.chat.messages({ conversationId });
    expect(items[0]!.attachments).toMatchObject([{ id: body.attachment.id, name: 'lecture-7.pdf', status: 'ready' }]);
    expect(items[1]!.attachments).toEqual([]);
    // A follow-up still sees the document (it is in the history), without attaching it again.
    await afterWorkSettled();
    stub.reset();
    await collect(await me.caller.chat.send({ conversationId, content: 'Which room?', modelId: 'demo' }));
    expect(stub.requests.find((request) => request.messages.at(-1)!.content.includes('Which room?'))!.messages.at(-1)!.content).toContain('room B-204');
    // An attachment already sent cannot be sent again with another message.
    await expect(collect(await me.caller.chat.send({ content: 'again', modelId: 'demo', attachmentIds: [body.attachment.id] }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps a refused question\'s file unsent: nothing goes upstream, and it goes with the next question', async () => {
    const me = await person();
    me.user.limits = { demo: { dailyRequestLimit: 1, monthlyTokenLimit: null } };
    const { body } = await upload(me.token, 'timetable.csv', Buffer.from('course,room\nPhysics,B-204\n'));
    await waitForStatus(me.caller, body.attachment.id);
    await collect(await me.caller.chat.send({ content: 'The one question today?', modelId: 'demo' }));
    stub.reset();

    await expect(collect(await me.caller.chat.send({ content: 'Which room is Physics in?', modelId: 'demo', attachmentIds: [body.attachment.id] }))).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    // The answer's request is built while admission runs: long enough for it to arrive, were it let go.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stub.requests).toHaveLength(0);
    // Unsent, so still the student's to send: with the next question, once the limit allows it.
    me.user.limits = { demo: { dailyRequestLimit: 5, monthlyTokenLimit: null } };
    const events = await collect(await me.caller.chat.send({ content: 'Which room is Physics in?', modelId: 'demo', attachmentIds: [body.attachment.id] }));
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    expect(answerTo('Which room is Physics in?').messages.at(-1)!.content).toContain('Physics,B-204');
  });

  it('says a scanned PDF has no text layer, and reads Word documents and plain text', async () => {
    const me = await person();
    const scanned = await upload(me.token, 'scan.pdf', await pdfWithoutText());
    const word = await upload(me.token, 'essay.docx', await docxWithText(['My essay about Ottoman architecture.', 'Second paragraph.']));
    const csv = await upload(me.token, 'grades.csv', Buffer.from('name,grade\nAda,A\nAlan,B\n'));
    for (const { body } of [scanned, word, csv]) await waitForStatus(me.caller, body.attachment.id);
    expect(await me.caller.attachments.get({ id: scanned.body.attachment.id })).toMatchObject({ status: 'failed', failure: 'no-text-layer' });
    expect(await me.caller.attachments.get({ id: word.body.attachment.id })).toMatchObject({
      status: 'ready',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(await me.caller.attachments.get({ id: csv.body.attachment.id })).toMatchObject({ status: 'ready', mimeType: 'text/csv' });
    const em = server.runtime.orm.em.fork();
    const docx = await em.findOneOrFail(Attachment, word.body.attachment.id, { populate: ['extractedText'] });
    expect(docx.extractedText).toContain('My essay about Ottoman architecture.');
  });

  it('re-encodes a photo without its EXIF and GPS tags, keeps a thumbnail, and serves it only to its owner', async () => {
    const me = await person();
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const { status, body } = await upload(me.token, 'whiteboard.jpg', original);
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ type: 'image', mimeType: 'image/jpeg', status: 'ready' });

    const response = await download(me.token, body.attachment.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="whiteboard.jpg"/);
    const served = Buffer.from(await response.arrayBuffer());
    const metadata = await sharp(served).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(served.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect(metadata).toMatchObject({ width: 64, height: 48, format: 'jpeg' });

    const thumb = await download(me.token, body.attachment.id, '?variant=thumbnail');
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe('webp');

    const other = await person();
    expect((await download(other.token, body.attachment.id)).status).toBe(404);
    expect((await download(null, body.attachment.id)).status).toBe(404);
    await expect(other.caller.attachments.get({ id: body.attachment.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.caller.attachments.delete({ id: body.attachment.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(await other.caller.chat.send({ content: 'steal', modelId: 'vision-test', attachmentIds: [body.attachment.id] }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves documents as downloads, never as a page', async () => {
    const me = await person();
    const { body } = await upload(me.token, 'notes.md', Buffer.from('# Notes\n<script>alert(1)</script>\n'));
    const response = await download(me.token, body.attachment.id);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.md"/);
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('sends a picture as an image part to a vision model, and refuses a model that cannot see before calling it', async () => {
    const me = await person();
    const { body } = await upload(me.token, 'diagram.png', await pngOf());
    await expect(collect(await me.caller.chat.send({ content: 'What is this?', modelId: 'demo', attachmentIds: [body.attachment.id] }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Vision test'),
    });
    expect(answerTo('What is this?')).toBeUndefined();

    stub.script({ text: 'A red rectangle.' });
    const events = await collect(await me.caller.chat.send({ content: 'What is this?', modelId: 'vision-test', attachmentIds: [body.attachment.id] }));
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    const question = answerTo('What is this?').messages.at(-1)!;
    expect(question.content).toBe('What is this?');
    expect(question.images).toHaveLength(1);
    const sent = Buffer.from(question.images![0]!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(await sharp(sent).metadata()).toMatchObject({ format: 'png', width: 40, height: 30 });
  });

  it('refuses the wrong type, too large a file, and kinds the account may not attach, storing nothing', async () => {
    const me = await person('student', { uploadImages: false });
    const zip = Buffer.from('504b0304140000000800', 'hex');
    const wrong = await upload(me.token, 'notes.pdf', Buffer.concat([zip, Buffer.alloc(200, 1)]));
    expect(wrong).toMatchObject({ status: 415, body: { error: { reason: 'wrong-type' } } });
    const binary = await upload(me.token, 'program.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    expect(binary).toMatchObject({ status: 415, body: { error: { reason: 'wrong-type' } } });
    const large = await upload(me.token, 'big.txt', Buffer.alloc(64 * 1024 + 10, 'a'));
    expect(large).toMatchObject({ status: 413, body: { error: { reason: 'too-large' } } });
    expect(large.body.error.message).toContain('64 KB');
    const picture = await upload(me.token, 'photo.png', await pngOf());
    expect(picture).toMatchObject({ status: 403, body: { error: { reason: 'not-permitted' } } });
    expect(await keysOf(me.user)).toEqual([]);
    expect(await me.caller.attachments.storage()).toMatchObject({ usedBytes: 0 });

    expect((await upload(null, 'a.txt', Buffer.from('hello'))).status).toBe(401);
  });

  it('refuses a cookie-authenticated upload from another site', async () => {
    const me = await person();
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('hello')]), 'a.txt');
    const response = await fetch(`${server.url}/api/files`, {
      method: 'POST',
      headers: { cookie: `atrium_session=${me.token}`, origin: 'https://evil.example' },
      body: form,
    });
    expect(response.status).toBe(403);
  });

  it('holds the storage quota under concurrent uploads, shows it, and gives bytes back on delete', async () => {
    const me = await person();
    const admin = await person('admin');
    const file = Buffer.alloc(40 * 1024, 'q');
    await admin.caller.attachments.admin.setUserQuota({ userId: me.user.id, quotaBytes: 100 * 1024 });
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => upload(me.token, `part-${i}.txt`, file)));
    expect(results.map((result) => result.status).sort()).toEqual([201, 201, 413, 413]);
    expect(results.find((result) => result.status === 413)!.body.error.reason).toBe('over-quota');
    expect(await me.caller.attachments.storage()).toMatchObject({ usedBytes: 80 * 1024, quotaBytes: 100 * 1024 });
    expect(await keysOf(me.user)).toHaveLength(2);

    const kept = results.find((result) => result.status === 201)!.body.attachment.id;
    await me.caller.attachments.delete({ id: kept });
    expect(await me.caller.attachments.storage()).toMatchObject({ usedBytes: 40 * 1024 });
    expect((await upload(me.token, 'again.txt', file)).status).toBe(201);

    // The role's quota applies when the override is cleared.
    await admin.caller.attachments.admin.setUserQuota({ userId: me.user.id, quotaBytes: null });
    expect((await me.caller.attachments.storage()).quotaBytes).toBe(100 * MiB);
  });

  it('deletes stored files with their conversation and with their user, leaving no object behind', async () => {
    const me = await person();
    const admin = await person('admin');
    const image = await upload(me.token, 'x.png', await pngOf());
    const doc = await upload(me.token, 'y.txt', Buffer.from('some notes'));
    await waitForStatus(me.caller, doc.body.attachment.id);
    const events = await collect(await me.caller.chat.send({ content: 'Look', modelId: 'vision-test', attachmentIds: [image.body.attachment.id, doc.body.attachment.id] }));
    const conversationId = (events[0]!.conversation as { id: string }).id;
    expect(await keysOf(me.user)).toHaveLength(3); // picture, its thumbnail, the text
    await afterWorkSettled();
    await me.caller.chat.delete({ id: conversationId });
    expect(await keysOf(me.user)).toEqual([]);
    expect(await me.caller.attachments.storage()).toMatchObject({ usedBytes: 0 });

    await upload(me.token, 'z.png', await pngOf());
    await upload(me.token, 'w.txt', Buffer.from('draft'));
    expect(await keysOf(me.user)).toHaveLength(3);
    await admin.caller.users.delete({ id: me.user.id });
    expect(await keysOf(me.user)).toEqual([]);
    expect(await server.runtime.orm.em.fork().count(User, { id: me.user.id })).toBe(0);
  });

  it('sweeps files no row refers to, and drafts never sent', async () => {
    const me = await person();
    const kept = await upload(me.token, 'kept.txt', Buffer.from('kept'));
    await store().put(`attachments/${me.user.id}/00000000-0000-4000-8000-000000000000`, (async function* () {
      yield Buffer.from('orphan');
    })());
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    const swept = await sweepFiles(server.runtime.orm.em.fork(), store(), later);
    expect(swept.orphans).toBeGreaterThanOrEqual(1);
    expect(await keysOf(me.user)).toEqual([`attachments/${me.user.id}/${kept.body.attachment.id}`]);

    const dayLater = new Date(Date.now() + 25 * 60 * 60 * 1000);
    await sweepFiles(server.runtime.orm.em.fork(), store(), dayLater);
    expect(await keysOf(me.user)).toEqual([]);
    await expect(me.caller.attachments.get({ id: kept.body.attachment.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
