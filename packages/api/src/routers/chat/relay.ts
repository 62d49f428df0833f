import { listenOn, type EntityManager, type Orm } from '@atrium/db';
import { z } from 'zod';
import { logger } from '../../observability/log';
import { createChannel } from './channel';

/** The PostgreSQL channel answers are relayed on, between whichever processes produce and read them. */
export const ANSWERS_CHANNEL = 'atrium_answers';
// NOTIFY payloads stop at 8000 bytes: text goes in slices well below that, whatever the script.
const SLICE_CHARS = 1500;
/** How often a producer with readers publishes its new text (coalesced in between). */
const PUBLISH_MS = 50;

const signalSchema = z.discriminatedUnion('kind', [
  // A reader attached (or lost track): publish from now on, starting with the text so far saved.
  z.object({ lease: z.uuid(), kind: z.literal('hello') }),
  // The text up to `length` is in token_lease.partial_text; `text` signals continue from there.
  z.object({ lease: z.uuid(), kind: z.literal('saved'), length: z.number().int().min(0) }),
  z.object({ lease: z.uuid(), kind: z.literal('text'), at: z.number().int().min(0), text: z.string() }),
  // The answer is saved (and its usage settled): readers show the saved message.
  z.object({ lease: z.uuid(), kind: z.literal('end'), messageId: z.uuid().nullable() }),
  // Someone on any process pressed Stop.
  z.object({ lease: z.uuid(), kind: z.literal('stop') }),
]);
export type AnswerSignal = z.infer<typeof signalSchema>;
/** 'lost': the process may have missed signals (its LISTEN connection was re-established). */
type BusListener = (signal: AnswerSignal | 'lost') => void;

/** How signals travel: NOTIFY between processes, or memory inside one. */
export type AnswerBus = {
  publish(signal: AnswerSignal): Promise<void>;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
};

function fanOut() {
  const listeners = new Set<BusListener>();
  return {
    listeners,
    deliver(signal: AnswerSignal | 'lost') {
      for (const listener of listeners) listener(signal);
    },
    subscribe(listener: BusListener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** One process, no database channel: scripts and tests that call the router in-process. */
export function memoryBus(): AnswerBus {
  const fan = fanOut();
  return {
    async publish(signal) {
      // Delivered later, as a notification would be.
      queueMicrotask(() => fan.deliver(signal));
    },
    subscribe: fan.subscribe,
    async close() {},
  };
}

/** LISTEN/NOTIFY on the database every replica shares (PGlite: in-process). */
export async function databaseBus(orm: Orm): Promise<AnswerBus> {
  const fan = fanOut();
  let listening = false;
  const stop = await listenOn(orm, ANSWERS_CHANNEL, {
    onPayload(payload) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload ?? '');
      } catch {
        parsed = null;
      }
      const signal = signalSchema.safeParse(parsed);
      if (signal.success) fan.deliver(signal.data);
      else logger.warn({ channel: ANSWERS_CHANNEL }, 'ignoring a malformed answer signal');
    },
    onUp() {
      if (listening) fan.deliver('lost');
      listening = true;
    },
    onDown() {
      fan.deliver('lost');
    },
  });
  return {
    async publish(signal) {
      await orm.em.fork().execute('select pg_notify(?, ?)', [ANSWERS_CHANNEL, JSON.stringify(signal)]);
    },
    subscribe: fan.subscribe,
    close: stop,
  };
}

/** What a producing turn gives the relay: how to stop it, and how to save its text now. */
type ProducerHooks = { stop(): void; save(): Promise<number> };

/**
 * One answer being produced here. It publishes nothing until a reader says hello (the browser
 * that asked reads in-process); from then on its text goes out in slices every `PUBLISH_MS`.
 */
class Producer {
  text = '';
  #publishing = false;
  #publishedUpTo = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  // Signals of one answer go out one after another, so they commit (and arrive) in order.
  #chain: Promise<void> = Promise.resolve();

  constructor(
    readonly lease: string,
    readonly bus: AnswerBus,
    readonly hooks: ProducerHooks,
  ) {}

  receive(signal: AnswerSignal) {
    if (signal.kind === 'stop') this.hooks.stop();
    if (signal.kind !== 'hello') return;
    this.#publishing = true;
    this.#enqueue(async () => {
      // Everything before this point is in the row; readers continue from its end.
      const length = await this.hooks.save();
      this.#publishedUpTo = Math.max(this.#publishedUpTo, length);
      await this.bus.publish({ lease: this.lease, kind: 'saved', length });
    });
  }

  append(delta: string) {
    this.text += delta;
    if (this.#publishing) this.#timer ??= setTimeout(() => this.#flush(), PUBLISH_MS);
  }

  /** The answer is saved: readers are told once the text before it is out. */
  end(messageId: string | null): Promise<void> {
    if (!this.#publishing) return Promise.resolve();
    this.#flush();
    this.#enqueue(() => this.bus.publish({ lease: this.lease, kind: 'end', messageId }));
    return this.#chain;
  }

  #flush() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#enqueue(async () => {
      while (this.#publishedUpTo < this.text.length) {
        const at = this.#publishedUpTo;
        const text = this.text.slice(at, at + SLICE_CHARS);
        this.#publishedUpTo = at + text.length;
        await this.bus.publish({ lease: this.lease, kind: 'text', at, text });
      }
    });
  }

  #enqueue(step: () => Promise<void>) {
    this.#chain = this.#chain
      .then(step)
      .catch((error: unknown) => logger.error({ err: error, leaseId: this.lease }, 'relaying an answer failed'));
  }
}

export type RunningLease = { id: string; questionId: string | null; model: string; createdAt: Date };

/** How an attached reader's answer ended, read from the saved message. */
export type AttachedEnd = { messageId: string | null };

/**
 * Relays answers between the process that produces each one and readers on any process: the
 * text saved with the lease first, then live slices, then the end. Stop reaches the producer
 * wherever it runs. See docs/decisions/180-resumable-answers.md.
 */
export class AnswerRelay {
  readonly #producers = new Map<string, Producer>();

  constructor(
    readonly bus: AnswerBus,
    /** How often a reader checks that the producer's lease is still alive. */
    readonly checkMs = 1000,
  ) {
    bus.subscribe((signal) => {
      if (signal !== 'lost') this.#producers.get(signal.lease)?.receive(signal);
    });
  }

  /** Registers the answer of lease `lease` as produced here; the returned handle takes its text and its end. */
  produce(lease: string, hooks: ProducerHooks) {
    const producer = new Producer(lease, this.bus, hooks);
    this.#producers.set(lease, producer);
    return {
      append: (delta: string) => producer.append(delta),
      text: () => producer.text,
      end: async (messageId: string | null) => {
        try {
          await producer.end(messageId);
        } finally {
          this.#producers.delete(lease);
        }
      },
    };
  }

  /** Asks whichever process produces these answers to stop them. */
  async stop(leases: readonly string[]) {
    await Promise.all(leases.map((lease) => this.bus.publish({ lease, kind: 'stop' })));
  }

  /**
   * Follows a running answer: yields its text (what was saved, then what arrives) until it ends,
   * then returns how. `check` reads the lease (null once it is gone) and, once it is past its
   * expiry, releases it: a reader of a dead producer sees its answer end as interrupted.
   */
  async *follow(
    lease: RunningLease,
    reads: { partialText(): Promise<string | null>; alive(): Promise<boolean> },
    signal?: AbortSignal,
  ): AsyncGenerator<string, AttachedEnd> {
    const inbox = createChannel<AnswerSignal | 'lost' | 'check'>();
    const unsubscribe = this.bus.subscribe((item) => {
      if (item === 'lost' || item.lease === lease.id) inbox.push(item);
    });
    const timer = setInterval(() => inbox.push('check'), this.checkMs);
    const onAbort = () => inbox.close();
    signal?.addEventListener('abort', onAbort);
    let text = '';
    // Whether the producer answered the last hello; until it does, every check says hello again
    // (a hello sent while its LISTEN connection was being re-established is lost).
    let synced = false;
    const hello = () => {
      synced = false;
      return this.bus.publish({ lease: lease.id, kind: 'hello' });
    };
    const catchUp = async () => {
      const saved = await reads.partialText();
      if (saved !== null && saved.length > text.length) {
        const more = saved.slice(text.length);
        text = saved;
        return more;
      }
      return '';
    };
    try {
      await hello();
      // What was saved so far shows at once; the producer's answer to hello fills the rest.
      const first = await catchUp();
      if (first) yield first;
      for await (const item of inbox) {
        if (item === 'lost') {
          await hello();
        } else if (item === 'check') {
          if (!(await reads.alive())) return { messageId: null };
          if (!synced) await hello();
        } else if (item.kind === 'saved') {
          synced = true;
          const more = await catchUp();
          if (more) yield more;
        } else if (item.kind === 'text') {
          if (item.at > text.length) {
            // A gap (signals sent before this reader listened): ask for the text to be saved again.
            await hello();
          } else if (item.at + item.text.length > text.length) {
            const more = item.text.slice(text.length - item.at);
            text += more;
            yield more;
          }
        } else if (item.kind === 'end') {
          return { messageId: item.messageId };
        }
      }
      return { messageId: null };
    } finally {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    }
  }

  async close() {
    await this.bus.close();
  }
}

/** The relay of a process without a database channel: in-process callers (tests, scripts) share it. */
export const inProcessRelay = new AnswerRelay(memoryBus());

/** The running answers of one conversation of one user (normally one). */
export async function runningLeases(em: EntityManager, userId: string, conversationId: string): Promise<RunningLease[]> {
  const rows = await em.execute<{ id: string; question_id: string | null; model: string; created_at: Date | string }[]>(
    'select id, question_id, model, created_at from token_lease where user_id = ? and conversation_id = ? order by created_at desc',
    [userId, conversationId],
  );
  return rows.map((row) => ({ id: row.id, questionId: row.question_id, model: row.model, createdAt: new Date(row.created_at) }));
}
