import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnswerRelay, memoryBus, type AnswerSignal } from './relay';

/** A relay on a bus the test also speaks on, playing the producer by hand. */
function scene(saved: { text: string | null }, checkMs = 60_000) {
  const bus = memoryBus();
  const relay = new AnswerRelay(bus, checkMs);
  const lease = { id: randomUUID(), questionId: null, model: 'demo', createdAt: new Date() };
  const heard: AnswerSignal[] = [];
  bus.subscribe((signal) => {
    if (signal !== 'lost') heard.push(signal);
  });
  // Omit over each member of the union, so every kind keeps its own fields.
  type Said = AnswerSignal extends infer S ? (S extends AnswerSignal ? Omit<S, 'lease'> : never) : never;
  const say = (signal: Said) => bus.publish({ ...signal, lease: lease.id } as AnswerSignal);
  const follow = async () => {
    const texts: string[] = [];
    const reading = relay.follow(lease, { partialText: async () => saved.text, alive: async () => true });
    for (;;) {
      const next = await reading.next();
      if (next.done) return { texts, end: next.value };
      texts.push(next.value);
    }
  };
  return { relay, lease, heard, say, follow };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('a reader following an answer through the relay', () => {
  it('shows the saved text, trims what it already has, asks again after a gap, and ends with the message', async () => {
    const saved = { text: 'Hello' as string | null };
    const { heard, say, follow } = scene(saved);
    const reading = follow();
    await until(() => heard.filter((signal) => signal.kind === 'hello').length === 1);
    // Overlapping what was saved: only the new part is shown.
    await say({ kind: 'text', at: 3, text: 'lo, w' });
    // A gap (sent before the reader listened): it asks for the text to be saved again.
    await say({ kind: 'text', at: 12, text: 'ld' });
    await until(() => heard.filter((signal) => signal.kind === 'hello').length === 2);
    saved.text = 'Hello, world';
    await say({ kind: 'saved', length: 12 });
    await say({ kind: 'text', at: 12, text: '!' });
    const messageId = randomUUID();
    await say({ kind: 'end', messageId });
    const { texts, end } = await reading;
    expect(texts).toEqual(['Hello', ', w', 'orld', '!']);
    expect(end).toEqual({ messageId });
  });

  it('says hello again on its next check while the producer has not answered (a hello lost in transit)', async () => {
    const { heard, say, follow } = scene({ text: 'Hi' }, 20);
    const reading = follow();
    await until(() => heard.filter((signal) => signal.kind === 'hello').length >= 3);
    await say({ kind: 'saved', length: 2 });
    await say({ kind: 'end', messageId: null });
    expect((await reading).texts).toEqual(['Hi']);
  });

  it('publishes nothing for an answer until a reader says hello, then its text and its end', async () => {
    const { relay, lease, heard, say } = scene({ text: null });
    let stopped = false;
    const produced = relay.produce(lease.id, { stop: () => void (stopped = true), save: async () => produced.text().length });
    produced.append('One ');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(heard).toEqual([]);
    await say({ kind: 'hello' });
    await until(() => heard.some((signal) => signal.kind === 'saved'));
    produced.append('two');
    await say({ kind: 'stop' });
    await until(() => stopped);
    await produced.end(null);
    expect(heard.filter((signal) => signal.kind !== 'hello' && signal.kind !== 'stop')).toEqual([
      { lease: lease.id, kind: 'saved', length: 4 },
      { lease: lease.id, kind: 'text', at: 4, text: 'two' },
      { lease: lease.id, kind: 'end', messageId: null },
    ]);
  });
});
