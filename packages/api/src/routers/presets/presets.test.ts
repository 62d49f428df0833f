import { AuditEvent } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

const style = { name: 'Socratic tutor', systemPromptTemplate: 'Ask {{user.displayName}} guiding questions.' };

describe('presets router', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  it('lists global presets and my own custom styles, never anyone else’s', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const global = await admin.caller.presets.admin.create({ name: 'Concise', systemPromptTemplate: 'Answer briefly.', modelId: 'demo' });
    const mine = await me.caller.presets.create(style);
    const theirs = await other.caller.presets.create({ ...style, name: 'Theirs' });
    const ids = (await me.caller.presets.list()).map((preset) => preset.id);
    expect(ids).toEqual(expect.arrayContaining([global.id, mine.id]));
    expect(ids).not.toContain(theirs.id);
    expect(global).toMatchObject({ isGlobal: true, modelId: 'demo' });
    expect(mine).toMatchObject({ isGlobal: false, temperature: null });
  });

  it("answers NOT_FOUND when I touch another user's style or a global preset through the user procedures", async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const theirs = await other.caller.presets.create(style);
    const global = await admin.caller.presets.admin.create(style);
    for (const id of [theirs.id, global.id]) {
      await expect(me.caller.presets.update({ id, changes: { name: 'Mine now' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(me.caller.presets.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await other.caller.presets.list()).find((preset) => preset.id === theirs.id)?.name).toBe(style.name);
  });

  it('updates and deletes my own style; admins audit global changes', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const mine = await me.caller.presets.create(style);
    expect(await me.caller.presets.update({ id: mine.id, changes: { temperature: 0.2 } })).toMatchObject({ temperature: 0.2, name: style.name });
    await me.caller.presets.delete({ id: mine.id });
    expect((await me.caller.presets.list()).map((preset) => preset.id)).not.toContain(mine.id);

    const global = await admin.caller.presets.admin.create(style);
    await admin.caller.presets.admin.update({ id: global.id, changes: { name: 'Renamed' } });
    await admin.caller.presets.admin.delete({ id: global.id });
    const actions = (await kit.db.orm.em.fork().find(AuditEvent, { target: global.id }, { orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['preset.create', 'preset.update', 'preset.delete']);
  });

  it('changes only what a patch names: a style or a model keeps every field the patch leaves out', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const mine = await me.caller.presets.create({ ...style, description: 'For exams', temperature: 0.3, maxTokens: 400, modelId: 'demo' });
    expect(await me.caller.presets.update({ id: mine.id, changes: { name: 'Exam tutor' } })).toMatchObject({
      name: 'Exam tutor',
      description: 'For exams',
      temperature: 0.3,
      maxTokens: 400,
      modelId: 'demo',
    });

    await admin.caller.models.admin.create({ id: 'patch-model', provider: 'demo', providerModelId: 'atrium-demo', displayName: 'Patch', enabled: false, contextWindow: 32_000, inputPricePerMTok: 1.5, sortOrder: 7 });
    await admin.caller.models.admin.update({ id: 'patch-model', changes: { displayName: 'Patched' } });
    const model = (await admin.caller.models.admin.list()).find((row) => row.id === 'patch-model');
    expect(model).toMatchObject({ displayName: 'Patched', enabled: false, contextWindow: 32_000, inputPricePerMTok: 1.5, sortOrder: 7 });
  });

  it('refuses custom styles to a user whose admin turned them off, and still lists global presets', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    const mine = await me.caller.presets.create(style);
    await admin.caller.users.setPermissions({ id: me.user.id, permissions: { useCustomStyles: false } });
    me.user.permissions = { useCustomStyles: false };
    await expect(me.caller.presets.create(style)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(me.caller.presets.update({ id: mine.id, changes: { name: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(Array.isArray(await me.caller.presets.list())).toBe(true);
  });

  it('validates input: temperature range, empty instructions, unknown model', async () => {
    const me = await kit.signedIn();
    await expect(me.caller.presets.create({ ...style, temperature: 5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(me.caller.presets.create({ ...style, systemPromptTemplate: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(me.caller.presets.create({ ...style, modelId: 'no-such-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
