import { Conversation, Model, UsageDaily, User } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { findApiModel } from '../../openai/completions.service';

describe('unlock keys', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { demo: { baseURL: stub.url } } } });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  async function send(caller: Awaited<ReturnType<ApiTestKit['signedIn']>>['caller'], input: { content: string; modelId?: string; presetId?: string }) {
    const events = [];
    for await (const event of await caller.chat.send(input)) events.push(event);
    return events;
  }

  it('shows and admits a locked model and style only to holders of the key, and admins see who holds it', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn();
    await admin.caller.models.admin.create({ id: 'bela-model', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Bela model', requiredUnlock: 'bela' });
    const style = await admin.caller.presets.admin.create({ name: 'Bela style', systemPromptTemplate: 'Speak like Bela.', requiredUnlock: 'bela' });
    expect(style.requiredUnlock).toBe('bela');

    // Without the key: not listed, and refused at admission however it is asked for.
    expect((await student.caller.models.list()).map((model) => model.id)).not.toContain('bela-model');
    expect((await student.caller.presets.list()).map((preset) => preset.id)).not.toContain(style.id);
    await expect(send(student.caller, { content: 'Hello', modelId: 'bela-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(send(student.caller, { content: 'Hello', modelId: 'demo', presetId: style.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(student.caller.account.saveChoices({ modelId: 'bela-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(student.caller.chat.create({ presetId: style.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(findApiModel(kit.db.orm.em.fork(), student.user, kit.config, 'bela-model')).rejects.toThrow(/does not exist/);
    const em = kit.db.orm.em.fork();
    expect(await em.count(Conversation, { user: student.user.id })).toBe(0);
    expect(await em.count(UsageDaily, { user: student.user.id })).toBe(0);

    // The admin grants the key: the student sees and uses both.
    await admin.caller.users.setUnlocks({ id: student.user.id, unlocks: { bela: true } });
    const holder = kit.callerFor(await kit.db.orm.em.fork().findOneOrFail(User, student.user.id));
    expect((await holder.models.list()).map((model) => model.id)).toContain('bela-model');
    expect((await holder.presets.list()).map((preset) => preset.id)).toContain(style.id);
    stub.script({ text: 'Greetings.' });
    const events = await send(holder, { content: 'Hello', modelId: 'bela-model', presetId: style.id });
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    expect(JSON.stringify(stub.requests.at(-1)?.messages)).toContain('Speak like Bela.');

    // Who holds which.
    const overview = await admin.caller.users.unlocks();
    expect(overview.find((entry) => entry.key === 'bela')).toEqual({
      key: 'bela',
      models: [{ id: 'bela-model', displayName: 'Bela model' }],
      presets: [{ id: style.id, name: 'Bela style' }],
      holders: [{ id: student.user.id, username: student.user.username, displayName: student.user.displayName }],
      holderCount: 1,
    });
    await expect(student.caller.users.unlocks()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // Taken away again (false, as admins switch a key off): refused again.
    await admin.caller.users.setUnlocks({ id: student.user.id, unlocks: { bela: false } });
    const former = kit.callerFor(await kit.db.orm.em.fork().findOneOrFail(User, student.user.id));
    await expect(send(former, { content: 'Again', modelId: 'bela-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await admin.caller.users.unlocks()).find((entry) => entry.key === 'bela')?.holders).toEqual([]);
  });

  it('keeps the key through a partial update and drops it when asked', async () => {
    const admin = await kit.signedIn('admin');
    await admin.caller.models.admin.create({ id: 'gated-two', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Gated', requiredUnlock: 'lab' });
    await admin.caller.models.admin.update({ id: 'gated-two', changes: { displayName: 'Gated two' } });
    const em = kit.db.orm.em.fork();
    expect((await em.findOneOrFail(Model, 'gated-two')).requiredUnlock).toBe('lab');
    await admin.caller.models.admin.update({ id: 'gated-two', changes: { requiredUnlock: null } });
    expect((await kit.db.orm.em.fork().findOneOrFail(Model, 'gated-two')).requiredUnlock).toBeNull();
    await expect(admin.caller.models.admin.update({ id: 'gated-two', changes: { requiredUnlock: 'has space' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
