import { Conversation, Message } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('conversations on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());

  it('pages newest first with a keyset cursor that does not skip or repeat', async () => {
    const me = await kit.signedIn();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.push((await me.caller.chat.create({ title: `Chat ${i}` })).id);
      kit.clock.advance(1000);
      await kit.db.orm.em.fork().nativeUpdate(Conversation, { id: created.at(-1)! }, { updatedAt: kit.clock() });
    }
    const seen: string[] = [];
    let cursor = null;
    do {
      const page: Awaited<ReturnType<typeof me.caller.chat.conversations>> = await me.caller.chat.conversations({ limit: 3, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it('renames, groups, filters by group, and lists groups with counts', async () => {
    const me = await kit.signedIn();
    const a = await me.caller.chat.create({});
    const b = await me.caller.chat.create({ group: 'Thesis' });
    expect(a.title).toBe('New chat');
    await me.caller.chat.rename({ id: a.id, title: '  Linear algebra  ' });
    await me.caller.chat.regroup({ id: a.id, group: 'Courses' });
    expect(await me.caller.chat.get({ id: a.id })).toMatchObject({ title: 'Linear algebra', group: 'Courses' });
    expect((await me.caller.chat.conversations({ group: 'Thesis' })).items.map((c) => c.id)).toEqual([b.id]);
    expect(await me.caller.chat.groups()).toEqual([
      { name: 'Courses', count: 1 },
      { name: 'Thesis', count: 1 },
    ]);
    await me.caller.chat.regroup({ id: b.id, group: null });
    expect((await me.caller.chat.conversations({ group: null })).items.map((c) => c.id)).toEqual([b.id]);
  });

  it("answers NOT_FOUND for another user's conversation in every procedure, and changes nothing", async () => {
    const me = await kit.signedIn();
    const victim = await kit.signedIn();
    const theirs = await victim.caller.chat.create({ title: 'Private' });
    const id = theirs.id;
    const attempts = [
      () => me.caller.chat.get({ id }),
      () => me.caller.chat.rename({ id, title: 'Hijacked' }),
      () => me.caller.chat.regroup({ id, group: 'Mine' }),
      () => me.caller.chat.configure({ id, modelId: 'demo' }),
      () => me.caller.chat.delete({ id }),
      () => me.caller.chat.pin({ id, pinned: true }),
      () => me.caller.chat.archive({ id, archived: true }),
      () => me.caller.chat.messages({ conversationId: id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await victim.caller.chat.get({ id })).toMatchObject({ title: 'Private', group: null, pinned: false, archived: false });
    expect((await me.caller.chat.conversations({})).items).toHaveLength(0);
  });

  it('pins to the top without reordering, and archives out of the list while search still finds it, until restored', async () => {
    const me = await kit.signedIn();
    const ids: string[] = [];
    for (const title of ['Thermodynamics', 'Linear algebra', 'Essay draft']) {
      kit.clock.advance(1000);
      const conversation = await me.caller.chat.create({ title, group: title === 'Essay draft' ? 'Writing' : null });
      await kit.db.orm.em.fork().nativeUpdate(Conversation, { id: conversation.id }, { updatedAt: kit.clock() });
      ids.push(conversation.id);
    }
    const [thermo, , essay] = ids as [string, string, string];
    const titles = async (input: Parameters<typeof me.caller.chat.conversations>[0]) =>
      (await me.caller.chat.conversations(input)).items.map((item) => item.title);

    expect(await me.caller.chat.pin({ id: thermo, pinned: true })).toMatchObject({ pinned: true, archived: false });
    expect(await titles({ pinned: true })).toEqual(['Thermodynamics']);
    expect(await titles({ pinned: false })).toEqual(['Essay draft', 'Linear algebra']);
    // Pinning is not news in the chat: the recent order stays.
    expect(await titles({})).toEqual(['Essay draft', 'Linear algebra', 'Thermodynamics']);

    // Archiving takes a chat out of every list (and its group's count), and unpins it.
    await me.caller.chat.archive({ id: essay, archived: true });
    expect(await me.caller.chat.archive({ id: thermo, archived: true })).toMatchObject({ pinned: false, archived: true });
    expect(await titles({})).toEqual(['Linear algebra']);
    expect(await titles({ pinned: true })).toEqual([]);
    expect(await titles({ archived: true })).toEqual(['Essay draft', 'Thermodynamics']);
    expect(await me.caller.chat.groups()).toEqual([]);
    // Search still finds it, marked archived.
    expect((await me.caller.chat.conversations({ search: 'thermo' })).items).toMatchObject([{ id: thermo, archived: true }]);

    await me.caller.chat.archive({ id: essay, archived: false });
    expect(await titles({})).toEqual(['Essay draft', 'Linear algebra']);
    expect(await me.caller.chat.groups()).toEqual([{ name: 'Writing', count: 1 }]);
  });

  it('deletes a conversation with its messages', async () => {
    const me = await kit.signedIn();
    const conversation = await me.caller.chat.create({});
    const em = kit.db.orm.em.fork();
    em.create(Message, { conversation: conversation.id, role: 'user', content: 'hello' });
    await em.flush();
    await me.caller.chat.delete({ id: conversation.id });
    expect(await kit.db.orm.em.fork().count(Message, { conversation: conversation.id })).toBe(0);
    await expect(me.caller.chat.get({ id: conversation.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
