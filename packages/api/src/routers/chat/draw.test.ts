import { buffer } from 'node:stream/consumers';
import { Attachment, Model, UsageDaily, User } from '@atrium/db';
import { startS3Server, type S3Server } from '@atrium/testing/s3';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, readFilesEnv, type FileStore } from '../../files';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type SendStream = Awaited<ReturnType<ReturnType<ApiTestKit['anonymous']>['chat']['send']>>;
type Events = SendStream extends AsyncIterable<infer E> ? E[] : never;
async function collect(stream: AsyncIterable<Events[number]>) {
  const events: Events = [];
  for await (const event of stream) events.push(event);
  return events;
}

const kinds = [
  { name: 'PGlite, pictures in PostgreSQL', kind: 'pglite' as const, s3: false, all: true },
  // The other driver keeps pictures the same way: its one test is the full path, store to erasure.
  { name: 'PGlite, pictures in S3 (s3rver on loopback)', kind: 'pglite' as const, s3: true, all: false },
  // Real concurrent connections: the limit race is PostgreSQL's to settle.
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', kind: 'postgresql' as const, s3: false, all: true }] : []),
];

describe.each(kinds)('generated images ($name)', ({ kind, s3: useS3, all }) => {
  let stub: StubUpstream;
  let s3: S3Server | undefined;
  let files: FileStore;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    s3 = useS3 ? await startS3Server() : undefined;
    kit = await createApiTestKit(kind, {
      config: {
        providers: { demo: { baseURL: stub.url }, openai: { apiKey: 'test-key', baseURL: stub.url } },
        llm: { timeoutMs: 5000 },
      },
    });
    files = s3 ? createFileStore(kit.db.orm, readFilesEnv(s3.env)) : kit.config.files!;
    kit.config.files = files;
    const em = kit.db.orm.em.fork();
    em.create(Model, {
      id: 'draw',
      provider: 'openai',
      providerModelId: 'dall-e-3',
      displayName: 'Drawing board',
      supportsImageGeneration: true,
      pricePerImage: 0.04,
      sortOrder: 50,
    });
    await em.flush();
  });
  beforeEach(async () => {
    await kit.afterWork();
    stub.reset();
  });
  afterAll(async () => {
    await kit?.close();
    if (s3) await files?.close();
    await s3?.stop();
    await stub?.close();
  });

  const usageOf = async (userId: string) => kit.db.orm.em.fork().findOne(UsageDaily, { user: userId, model: 'draw' });

  it('answers with a real PNG kept as a generated_image on the answer, counted and priced from the catalogue', async () => {
    const me = await kit.signedIn();
    const events = await collect(await me.caller.chat.send({ content: 'A lighthouse at dusk', modelId: 'draw' }));

    expect(events[0]).toMatchObject({ type: 'started', model: { id: 'draw', draws: true } });
    expect(events.filter((event) => event.type === 'delta')).toEqual([]);
    const finished = events.at(-1)!;
    expect(finished).toMatchObject({ type: 'finished', status: 'completed', message: { role: 'assistant', content: '', model: 'draw' } });
    const shown = (finished as { message: { attachments: { id: string; type: string; mimeType: string; width: number | null }[] } }).message.attachments;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ type: 'generated_image', mimeType: 'image/png', width: 64, height: 64 });

    // The real provider called the stub's images endpoint with the question as the prompt.
    expect(stub.imageRequests).toHaveLength(1);
    expect(stub.imageRequests[0]!.body).toMatchObject({ model: 'dall-e-3', prompt: 'A lighthouse at dusk', n: 1 });
    expect(stub.imageRequests[0]!.headers.authorization).toBe('Bearer test-key');
    expect(stub.requests).toEqual([]);

    // Stored in the user's files: a decodable PNG of the stub's picture.
    const row = await kit.db.orm.em.fork().findOneOrFail(Attachment, shown[0]!.id);
    expect(row.storageKey).toBe(`attachments/${me.user.id}/${row.id}`);
    const bytes = await buffer(await files.get(row.storageKey));
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 64, height: 64 });
    expect(row.size).toBe(bytes.length);
    expect((await me.caller.attachments.storage()).usedBytes).toBe(bytes.length);

    // After a reload: the answer lists its picture; usage counts the request and the picture's price.
    const conversationId = (events[0] as { conversation: { id: string } }).conversation.id;
    const saved = await me.caller.chat.messages({ conversationId });
    expect(saved.items.map((message) => [message.role, message.attachments.map((attachment) => attachment.type)])).toEqual([
      ['user', []],
      ['assistant', ['generated_image']],
    ]);
    expect(await usageOf(me.user.id)).toMatchObject({ requests: 1, costMicros: 40_000, promptTokens: 0, completionTokens: 0 });
    const [message] = await kit.db.orm.em.fork().getConnection().execute<{ cost_micros: string }[]>('select cost_micros from messages where role = ? and model = ? and conversation_id = ?', ['assistant', 'draw', conversationId]);
    expect(Number(message!.cost_micros)).toBe(40_000);

    // The title comes from the question: a drawing model is never asked to write text.
    await kit.afterWork();
    expect(stub.requests).toEqual([]);
    expect((await me.caller.chat.get({ id: conversationId })).title).not.toBe('New chat');

    // Deleting the chat deletes the picture in the store.
    await me.caller.chat.delete({ id: conversationId });
    expect(await files.exists(row.storageKey)).toBe(false);
    expect((await me.caller.attachments.storage()).usedBytes).toBe(0);
  });

  it.runIf(all)('gives the request back and keeps nothing when the provider refuses', async () => {
    const me = await kit.signedIn();
    stub.scriptImages({ status: 400 });
    const events = await collect(await me.caller.chat.send({ content: 'Something refused', modelId: 'draw' }));
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: 'The model provider refused the request.', message: null });
    expect(await usageOf(me.user.id)).toMatchObject({ requests: 0, costMicros: 0 });
    expect(await kit.db.orm.em.fork().count(Attachment, { user: me.user.id })).toBe(0);
  });

  it.runIf(all)('refuses files sent to a drawing model before any call', async () => {
    const me = await kit.signedIn();
    const em = kit.db.orm.em.fork();
    const draft = em.create(Attachment, {
      user: me.user.id,
      message: null,
      type: 'document',
      name: 'notes.txt',
      mimeType: 'text/plain',
      size: 5,
      storageKey: `attachments/${me.user.id}/draft`,
      status: 'ready',
      extractedText: 'notes',
      createdAt: new Date(),
    });
    await em.flush();
    await expect(collect(await me.caller.chat.send({ content: 'Draw my notes', modelId: 'draw', attachmentIds: [draft.id] }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Drawing board draws pictures from your words and cannot read attachments. Remove them, or choose another model.',
    });
    expect(stub.imageRequests).toEqual([]);
  });

  it.runIf(all)('admits drawings against the daily limit atomically: parallel requests past it are refused', async () => {
    const me = await kit.signedIn();
    const admin = await kit.signedIn('admin');
    await admin.caller.users.setLimits({ id: me.user.id, limits: { draw: { dailyRequestLimit: 2, monthlyTokenLimit: null } } });
    me.user.limits = (await kit.db.orm.em.fork().findOneOrFail(User, me.user.id)).limits;
    const caller = kit.callerFor(me.user);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, index) => caller.chat.send({ content: `Picture number ${index}`, modelId: 'draw' }).then(collect)),
    );
    const admitted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(admitted).toHaveLength(2);
    expect(refused.map((outcome) => (outcome.reason as { code: string }).code)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(stub.imageRequests).toHaveLength(2);
    expect(await usageOf(me.user.id)).toMatchObject({ requests: 2, costMicros: 80_000 });
    expect(await kit.db.orm.em.fork().count(Attachment, { user: me.user.id, type: 'generated_image' })).toBe(2);
  });
});
