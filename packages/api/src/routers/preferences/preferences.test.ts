import { Model } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe('preferences (the assistant’s memory of me)', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { local: { baseURL: stub.url } } } });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  it('creates, lists, updates, deactivates and deletes my memories', async () => {
    const me = await kit.signedIn();
    const caller = () => kit.callerFor(me.user);
    const major = await caller().preferences.create({ key: 'Major', value: 'Physics', category: 'studies' });
    expect(major).toMatchObject({
      key: 'Major',
      value: 'Physics',
      category: 'studies',
      source: 'explicit',
      isActive: true,
    });
    await caller().preferences.create({ key: 'Language', value: 'Answer in Turkish' });
    expect((await caller().preferences.list()).map((memory) => [memory.category, memory.key])).toEqual([
      ['general', 'Language'],
      ['studies', 'Major'],
    ]);
    expect(await caller().preferences.update({ id: major.id, changes: { value: 'Physics and maths' } })).toMatchObject({
      key: 'Major',
      value: 'Physics and maths',
    });
    expect(await caller().preferences.setActive({ id: major.id, isActive: false })).toMatchObject({ isActive: false });
    await caller().preferences.delete({ id: major.id });
    expect((await caller().preferences.list()).map((memory) => memory.key)).toEqual(['Language']);
  });

  it('refuses a second memory with the same key as CONFLICT, on create and on rename', async () => {
    const me = await kit.signedIn();
    const caller = () => kit.callerFor(me.user);
    await caller().preferences.create({ key: 'Year', value: 'Second' });
    await expect(caller().preferences.create({ key: 'Year', value: 'Third' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const other = await caller().preferences.create({ key: 'Term', value: 'Spring' });
    await expect(caller().preferences.update({ id: other.id, changes: { key: 'Year' } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // Another user may use the same key.
    const someoneElse = await kit.signedIn();
    await expect(
      kit.callerFor(someoneElse.user).preferences.create({ key: 'Year', value: 'First' }),
    ).resolves.toMatchObject({ key: 'Year' });
  });

  it("answers NOT_FOUND when I touch another user's memory", async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await kit.callerFor(other.user).preferences.create({ key: 'Secret', value: 'Theirs' });
    await expect(me.caller.preferences.update({ id: theirs.id, changes: { value: 'Mine' } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(me.caller.preferences.setActive({ id: theirs.id, isActive: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(me.caller.preferences.delete({ id: theirs.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await me.caller.preferences.list()).toEqual([]);
    expect(await kit.callerFor(other.user).preferences.list()).toMatchObject([
      { key: 'Secret', value: 'Theirs', isActive: true },
    ]);
  });

  it('puts active memories into the system prompt, and leaves inactive ones out', async () => {
    const me = await kit.signedIn();
    const caller = () => kit.callerFor(me.user);
    const modelId = 'memory-test';
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: modelId, provider: 'local', providerModelId: 'llama3', displayName: 'Local' });
    await em.flush();
    await caller().preferences.create({ key: 'Major', value: 'Marine biology' });
    const hidden = await caller().preferences.create({ key: 'Hobby', value: 'Underwater hockey' });
    await caller().preferences.setActive({ id: hidden.id, isActive: false });

    for await (const event of await caller().chat.send({ content: 'Suggest a thesis topic', modelId })) void event;
    await kit.afterWork();
    const system = stub.requests.find((request) => request.stream)!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('- Major: Marine biology');
    expect(system.content).not.toContain('Underwater hockey');
  });
});
