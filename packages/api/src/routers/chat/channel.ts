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
  /** Resolves on the next push or close (or `notify`). */
  const nextChange = () => new Promise<void>((resolve) => (wake = resolve));
  const waitingChars = () => buffer.reduce((sum, item) => sum + String(item).length, 0);
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
     * Text joined into one item per `windowMs` (or sooner once `maxChars` are waiting): the first
     * item, and any item after a quiet spell longer than the window, goes out at once. Waiting
     * text goes out with the push that finds the window passed, so a steady upstream costs no
     * timer wake-up of its own (one per event would cost about as much as the event's write); a
     * timer sends it only when the upstream goes quiet, twice the window after the last event.
     */
    async *batches(this: void, windowMs: number, maxChars: number): AsyncGenerator<string> {
      let lastSent = -Infinity;
      let quiet: ReturnType<typeof setTimeout> | undefined;
      try {
        for (;;) {
          while (!buffer.length && !closed) await nextChange();
          if (!buffer.length) return;
          while (!closed && performance.now() - lastSent < windowMs && waitingChars() < maxChars) {
            quiet ??= setTimeout(notify, lastSent + 2 * windowMs - performance.now());
            await nextChange();
          }
          clearTimeout(quiet);
          quiet = undefined;
          lastSent = performance.now();
          yield buffer.splice(0).join('');
        }
      } finally {
        clearTimeout(quiet);
      }
    },
  };
}
export type Channel<T> = ReturnType<typeof createChannel<T>>;
