import { Model, User } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe('remembered choices', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { demo: { baseURL: stub.url }, local: { baseURL: stub.url } } } });
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: 'local-second', provider: 'local', providerModelId: 'llama3', displayName: 'Second model' });
    em.create(Model, { id: 'switched-off', provider: 'local', providerModelId: 'off', displayName: 'Off', enabled: false });
    await em.flush();
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  /** A caller for the user as the next request would load them. */
  const freshCaller = async (id: string) => kit.callerFor(await kit.db.orm.em.fork().findOneOrFail(User, id));

  it('starts a new chat with the model and style I picked last', async () => {
    const me = await kit.signedIn();
    const style = await me.caller.presets.create({ name: 'Short answers', systemPromptTemplate: 'Answer in one sentence.' });
    expect(await me.caller.account.saveChoices({ modelId: 'local-second', presetId: style.id })).toMatchObject({ modelId: 'local-second', presetId: style.id });

    const caller = await freshCaller(me.user.id);
    expect(await caller.account.choices()).toMatchObject({ modelId: 'local-second', presetId: style.id, theme: 'system', language: null });
    stub.script({ text: 'Hi.' });
    let started: { model: { id: string } } | undefined;
    for await (const event of await caller.chat.send({ content: 'Hello there' })) if (event.type === 'started') started = event;
    expect(started?.model.id).toBe('local-second');
    const request = stub.requests.find((candidate) => JSON.stringify(candidate.messages).includes('Hello there'));
    expect(JSON.stringify(request?.messages)).toContain('Answer in one sentence.');

    // Forgetting them goes back to the defaults.
    expect(await caller.account.saveChoices({ modelId: null, presetId: null })).toMatchObject({ modelId: null, presetId: null });
  });

  it('keeps only what I may use', async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await other.caller.presets.create({ name: 'Theirs', systemPromptTemplate: 'Private.' });
    await expect(me.caller.account.saveChoices({ presetId: theirs.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(me.caller.account.saveChoices({ modelId: 'switched-off' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(me.caller.account.saveChoices({ modelId: 'no-such-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(me.caller.account.saveChoices({})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(kit.anonymous().account.saveChoices({ modelId: 'demo' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await (await freshCaller(me.user.id)).account.choices()).presetId).toBeNull();
  });

  it('saves theme and language on the account, and only known ones', async () => {
    const me = await kit.signedIn();
    expect(await me.caller.account.saveLook({ theme: 'dark', language: 'tr' })).toMatchObject({ theme: 'dark', language: 'tr' });
    expect(await (await freshCaller(me.user.id)).auth.me()).toMatchObject({ theme: 'dark', language: 'tr' });
    await expect(me.caller.account.saveLook({ theme: 'sepia' as 'dark' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(me.caller.account.saveLook({ language: 'de' as 'tr' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await me.caller.account.saveLook({ language: null })).toMatchObject({ theme: 'dark', language: null });
  });
});
