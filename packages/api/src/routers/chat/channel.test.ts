import { afterEach, describe, expect, it, vi } from 'vitest';
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

  describe('on a clock of its own', () => {
    afterEach(() => void vi.useRealTimers());
    const settled = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    /**
     * A channel on a fake clock whose first event (`a`, at 0 ms) went out at once, and the next
     * batch asked for: `second.value` is set once it arrives.
     */
    async function afterFirstEvent(windowMs: number) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const channel = createChannel<string>();
      const batches = channel.batches(windowMs, 10_000)[Symbol.asyncIterator]();
      channel.push('a');
      expect((await batches.next()).value).toBe('a');
      const second: { value?: string } = {};
      void batches.next().then((result) => (second.value = result.value as string));
      return { channel, second };
    }

    it('sends waiting text with the push that finds the window passed, with no timer firing for it', async () => {
      const { channel, second } = await afterFirstEvent(25);
      await vi.advanceTimersByTimeAsync(10);
      channel.push('b');
      await vi.advanceTimersByTimeAsync(10);
      channel.push('c');
      await settled();
      expect(second.value).toBeUndefined();
      // 30 ms after the first event: the window has passed, and this push takes the waiting text along.
      await vi.advanceTimersByTimeAsync(10);
      channel.push('d');
      await settled();
      expect(second.value).toBe('bcd');
      // The quiet timer of that batch was cleared: nothing is left to wake the process.
      expect(vi.getTimerCount()).toBe(0);
    });

    it('sends waiting text by twice the window after the last event when the upstream goes quiet', async () => {
      const { channel, second } = await afterFirstEvent(25);
      await vi.advanceTimersByTimeAsync(5);
      channel.push('b');
      await vi.advanceTimersByTimeAsync(44);
      expect(second.value).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(second.value).toBe('b');
    });
  });
});
