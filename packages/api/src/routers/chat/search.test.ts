import { Message } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { snippet } from './search.service';

describe.each(testDatabaseKinds())('searching inside messages on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());

  /** A conversation with these messages (alternating question and answer), written directly. */
  async function chatWith(me: Awaited<ReturnType<ApiTestKit['signedIn']>>, title: string, contents: string[]) {
    const conversation = await me.caller.chat.create({ title });
    const em = kit.db.orm.em.fork();
    const ids = contents.map((content, index) => {
      kit.clock.advance(1000);
      return em.create(Message, { conversation: conversation.id, role: index % 2 ? 'assistant' : 'user', content, createdAt: kit.clock() }).id;
    });
    await em.flush();
    return { conversationId: conversation.id, ids };
  }
  const found = async (me: Awaited<ReturnType<ApiTestKit['signedIn']>>, query: string) =>
    (await me.caller.chat.search({ query })).map((hit) => hit.messageId);

  it('folds Turkish İ/I/ı/i and diacritics both ways, and matches word beginnings', async () => {
    const me = await kit.signedIn();
    const { ids } = await chatWith(me, 'Gezi', [
      "İstanbul'da öğrenciler ılık bir günde Boğaz'ı gezdi.",
      'IŞIK hızı saniyede yaklaşık 300 000 km.',
      'We met at the café after the lecture on photosynthesis.',
    ]);
    const [istanbul, isik, cafe] = ids as [string, string, string];
    for (const query of ['istanbul', 'ISTANBUL', 'İSTANBUL', 'ıstanbul', 'ogrenci', 'ÖĞRENCİLER', 'ilik', 'ILIK', 'bogaz']) {
      expect(await found(me, query), query).toEqual([istanbul]);
    }
    for (const query of ['ışık', 'isik', 'Işık', 'IŞIK hız']) expect(await found(me, query), query).toEqual([isik]);
    for (const query of ['cafe', 'CAFÉ', 'photosynth', 'café lecture']) expect(await found(me, query), query).toEqual([cafe]);
    // Every word must match; a word in the middle of another does not.
    expect(await found(me, 'istanbul photosynthesis')).toEqual([]);
    expect(await found(me, 'tanbul')).toEqual([]);
    // Operators and punctuation are only separators.
    expect(await found(me, "café & (lecture) | !'")).toEqual([cafe]);
  });

  it('ranks the messages that say it more first, marks the words in a snippet and finds archived chats too', async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const once = await chatWith(me, 'Physics', ['A short note that mentions entropy once, among many other words about heat engines and cycles.']);
    const often = await chatWith(me, 'Thermodynamics', ['Entropy, entropy and again entropy: the entropy of an isolated system never decreases.']);
    await chatWith(other, 'Theirs', ['Entropy entropy entropy entropy entropy entropy.']);
    await me.caller.chat.archive({ id: once.conversationId, archived: true });

    const hits = await me.caller.chat.search({ query: 'ENTROP' });
    expect(hits.map((hit) => hit.messageId)).toEqual([often.ids[0], once.ids[0]]);
    expect(hits[1]).toMatchObject({ conversationId: once.conversationId, conversationTitle: 'Physics', archived: true, role: 'user' });
    expect(hits[0]!.snippet.parts.filter((part) => part.match).map((part) => part.text)).toEqual(['Entropy', 'entropy', 'entropy', 'entropy']);
    // Another user's messages never show, and an empty query is refused.
    expect(await found(other, 'heat engines')).toEqual([]);
    await expect(me.caller.chat.search({ query: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await found(me, '!!!')).toEqual([]);
  });
});

describe('search snippets', () => {
  it('cuts a long message around the first match at word boundaries, keeping the original letters', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(10)}Sonra İstanbul'a döndük ve ${'consectetur adipiscing elit. '.repeat(10)}`;
    const { parts, before, after } = snippet(text, ['istanbul']);
    expect(before).toBe(true);
    expect(after).toBe(true);
    expect(parts.find((part) => part.match)?.text).toBe('İstanbul');
    const joined = parts.map((part) => part.text).join('');
    expect(joined.startsWith(' ') || /^[A-Za-z]/.test(joined)).toBe(true);
    expect(joined.length).toBeLessThan(260);
  });
});
