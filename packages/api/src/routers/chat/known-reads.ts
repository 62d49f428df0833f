/**
 * What a follow-up would read of its conversation (the turn read of chat.service.ts), as it stood
 * once this process saved the last answer in it: the next question builds its prompt from it and
 * sends no read before its admission, which is then the only round trip before the upstream
 * request. The admission statement computes the read's fingerprint again and refuses (undoing
 * all it wrote) when it differs, so a read that anything changed since (a turn on another replica,
 * a summary, the memory, the branch the student views, a style) is never answered on: the turn
 * reads afresh and is admitted as before.
 *
 * Per process and bounded: an entry is used once (taken), and the oldest go first when there are
 * too many or they hold too much text.
 */
export class KnownReads {
  readonly #entries = new Map<string, KnownRead>();
  #bytes = 0;

  constructor(
    private readonly limits: { entries: number; bytes: number; ageMs: number } = { entries: 2_000, bytes: 32 * 2 ** 20, ageMs: 15 * 60_000 },
  ) {}

  get size() {
    return this.#entries.size;
  }

  /** Keeps what `sql` with `params` read of a conversation just now, with the fingerprint the database gave it. */
  keep(conversationId: string, read: Omit<KnownRead, 'at' | 'bytes'>) {
    this.#drop(conversationId);
    const bytes = approximateBytes(read.row);
    if (bytes > this.limits.bytes) return;
    this.#entries.set(conversationId, { ...read, at: Date.now(), bytes });
    this.#bytes += bytes;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.limits.entries && this.#bytes <= this.limits.bytes) break;
      this.#drop(oldest);
    }
  }

  /** The read kept for this conversation when it was made by the very same statement and is recent; it is not kept any more. */
  take(conversationId: string, sql: string, params: readonly unknown[]): KnownRead | null {
    const known = this.#entries.get(conversationId);
    if (!known) return null;
    this.#drop(conversationId);
    const same = known.sql === sql && known.params.length === params.length && known.params.every((value, i) => value === params[i]);
    return same && Date.now() - known.at <= this.limits.ageMs ? known : null;
  }

  /** Keeps nothing more of this conversation: its next turn reads it. */
  forget(conversationId: string) {
    this.#drop(conversationId);
  }

  #drop(conversationId: string) {
    const known = this.#entries.get(conversationId);
    if (!known) return;
    this.#entries.delete(conversationId);
    this.#bytes -= known.bytes;
  }
}

export type KnownRead = {
  sql: string;
  params: readonly unknown[];
  /** The read's row as the driver gave it (JSON columns parsed on PostgreSQL, text on PGlite). */
  row: Record<string, unknown>;
  /** The database's fingerprint of what the row's prompt depends on (`atrium_fingerprint`). */
  fingerprint: string;
  at: number;
  bytes: number;
};

/** The text a row holds, about: its strings, and its JSON columns whether parsed or not. */
function approximateBytes(row: Record<string, unknown>) {
  let bytes = 256;
  for (const value of Object.values(row)) {
    if (typeof value === 'string') bytes += value.length * 2;
    else if (value !== null && typeof value === 'object') bytes += JSON.stringify(value).length * 2;
  }
  return bytes;
}
