import type { TRPCError } from '@trpc/server';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Caller = Awaited<ReturnType<ApiTestKit['signedIn']>>['caller'];

/** Reads an answer stream until `until` holds for the text so far, then leaves it (as a reload does). */
async function readUntil(stream: AsyncIterable<{ type: string; text?: string; conversation?: { id: string } }>, until: (text: string) => boolean) {
  let text = '';
  let conversationId = '';
  for await (const event of stream) {
    if (event.type === 'started') conversationId = event.conversation!.id;
    if (event.type === 'delta') text += event.text;
    if (until(text)) break;
  }
  return { text, conversationId };
}

async function attachAll(caller: Caller, conversationId: string) {
  const events = [];
  for await (const event of await caller.chat.attach({ conversationId })) events.push(event);
  return events;
}

describe('following a running answer (chat.attach) and stopping it (chat.stop)', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { demo: { baseURL: stub.url } } } });
  });
  beforeEach(async () => {
    await kit.afterWork();
    stub.reset();
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });
  const words = Array.from({ length: 8 }, (_, i) => `w${i} `);

  it('gives a reader who comes back the text so far and then the rest, once, ending with the saved answer', async () => {
    const me = await kit.signedIn();
    stub.script({ text: words, chunkDelayMs: 60 });
    const first = await readUntil(await me.caller.chat.send({ content: 'Count slowly', modelId: 'demo' }), (text) => text.includes('w1 '));

    expect(await me.caller.chat.answering({ conversationId: first.conversationId })).toEqual({ answering: true });
    // A reload: a new request of the same student, on a new context.
    const events = await attachAll(kit.callerFor(me.user), first.conversationId);
    expect(events[0]).toMatchObject({ type: 'started', userMessage: { role: 'user', content: 'Count slowly' }, model: { id: 'demo' } });
    const text = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'finished', status: 'completed', message: { role: 'assistant', content: words.join('') } });
    expect(text).toBe(words.join(''));
    // Produced once: one upstream call.
    expect(stub.requests.filter((request) => JSON.stringify(request.messages).includes('Count slowly'))).toHaveLength(1);
    const { items } = await me.caller.chat.messages({ conversationId: first.conversationId });
    expect(items.map((message) => message.content)).toEqual(['Count slowly', words.join('')]);
  });

  it('stops from another request: the reader sees the answer end as stopped, its partial text kept', async () => {
    const me = await kit.signedIn();
    stub.script({ text: words, chunkDelayMs: 150 });
    const first = await readUntil(await me.caller.chat.send({ content: 'Count forever', modelId: 'demo' }), (text) => text.length > 0);
    const attached = attachAll(kit.callerFor(me.user), first.conversationId);
    expect(await kit.callerFor(me.user).chat.stop({ conversationId: first.conversationId })).toEqual({ stopping: true });
    const last = (await attached).at(-1)!;
    expect(last).toMatchObject({ type: 'finished', status: 'aborted', message: { aborted: true } });
    const content = (last as { message: { content: string } }).message.content;
    expect(content.length).toBeGreaterThan(0);
    expect(content).not.toBe(words.join(''));
  });

  it('yields nothing when no answer is running, and stop says so', async () => {
    const me = await kit.signedIn();
    stub.script({ text: ['Done.'] });
    const { conversationId } = await readUntil(await me.caller.chat.send({ content: 'Quick one', modelId: 'demo' }), () => false);
    expect(await me.caller.chat.answering({ conversationId })).toEqual({ answering: false });
    expect(await attachAll(me.caller, conversationId)).toEqual([]);
    expect(await me.caller.chat.stop({ conversationId })).toEqual({ stopping: false });
  });

  it("keeps others' answers out of reach: attach and stop on someone else's conversation are not found", async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    stub.script({ text: words, chunkDelayMs: 60 });
    const first = await readUntil(await me.caller.chat.send({ content: 'Mine alone', modelId: 'demo' }), (text) => text.length > 0);
    await expect(attachAll(other.caller, first.conversationId)).rejects.toMatchObject({ code: 'NOT_FOUND' } satisfies Partial<TRPCError>);
    await expect(other.caller.chat.stop({ conversationId: first.conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.caller.chat.answering({ conversationId: first.conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Mine finishes untouched.
    await expect.poll(async () => (await me.caller.chat.messages({ conversationId: first.conversationId })).items.at(-1)).toMatchObject({
      role: 'assistant',
      content: words.join(''),
      aborted: false,
    });
  });
});
