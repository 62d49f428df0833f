import { describe, expect, it } from 'vitest';
import { createChannel } from './channel';

describe('the answer channel', () => {
  it('hands a server-side reader every item, in order', async () => {
    const channel = createChannel<string>();
    channel.push('a');
    channel.push('b');
    channel.close();
    const items: string[] = [];
    for await (const item of channel) items.push(item);
    expect(items).toEqual(['a', 'b']);
  });

  it('coalesces text for the wire: the first at once, then one event per window unless enough text waits', async () => {
    const channel = createChannel<string>();
    // A window longer than the test: only size and the end of the answer release text.
    const batches = channel.batches(60_000, 10)[Symbol.asyncIterator]();
    channel.push('Hel');
    expect(await batches.next()).toEqual({ value: 'Hel', done: false });

    const next = batches.next();
    channel.push('lo, ');
    channel.push('wor');
    let released = false;
    void next.then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    channel.push('ld! ');
    expect(await next).toEqual({ value: 'lo, world! ', done: false });

    channel.push('Bye');
    channel.close();
    expect(await batches.next()).toEqual({ value: 'Bye', done: false });
    expect(await batches.next()).toEqual({ value: undefined, done: true });
  });

  it('sends text at once after a quiet spell longer than the window', async () => {
    const channel = createChannel<string>();
    const batches = channel.batches(0, 1000)[Symbol.asyncIterator]();
    channel.push('one');
    expect((await batches.next()).value).toBe('one');
    channel.push('two');
    expect((await batches.next()).value).toBe('two');
  });
});
