/**
 * A one-reader queue: the answer is pumped into it whether or not anyone is still reading, so
 * saving the answer never depends on the browser staying connected. Read it item by item, or
 * as `batches` for the wire.
 */
export function createChannel<T>() {
  const buffer: T[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  /** Resolves on the next push or close, or after `ms` when given. */
  const nextChange = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    push(item: T) {
      buffer.push(item);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length) yield buffer.shift()!;
        else if (closed) return;
        else await nextChange();
      }
    },
    /**
     * Text joined into one item per `windowMs` (or sooner once `maxChars` are waiting): the
     * first item, and any item after a quiet spell longer than the window, goes out at once.
     */
    async *batches(this: void, windowMs: number, maxChars: number): AsyncGenerator<string> {
      let lastSent = -Infinity;
      for (;;) {
        while (!buffer.length && !closed) await nextChange();
        if (!buffer.length) return;
        for (;;) {
          const waitingChars = buffer.reduce((sum, item) => sum + String(item).length, 0);
          const wait = lastSent + windowMs - performance.now();
          if (closed || wait <= 0 || waitingChars >= maxChars) break;
          await nextChange(wait);
        }
        lastSent = performance.now();
        yield buffer.splice(0).join('');
      }
    },
  };
}
export type Channel<T> = ReturnType<typeof createChannel<T>>;
