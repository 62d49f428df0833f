import type { Readable } from 'node:stream';

/** What a store knows about one stored file. */
export type StoredFile = { key: string; size: number; createdAt: Date };

/** The bytes to store: a Node stream or any async iterable of chunks; never one whole buffer. */
export type FileBody = Readable | AsyncIterable<Uint8Array>;

/**
 * Where Atrium keeps files (uploads, generated images, export archives). Two drivers behind this
 * one interface, chosen by `FILE_STORE`: PostgreSQL (the default) and S3-compatible storage.
 * Both stream in both directions: `put` reads its body chunk by chunk and `get` hands back a
 * stream, so a large file is never held in memory whole.
 *
 * Keys are opaque strings the caller chooses (`attachments/<user>/<id>`, `exports/<user>/<id>`);
 * a `put` to an existing key replaces it.
 */
export interface FileStore {
  readonly driver: 'postgres' | 's3';
  /** Stores `body` under `key`; resolves once it is durable, with the byte count written. A failed or aborted body leaves nothing readable. */
  put(key: string, body: FileBody, options?: { contentType?: string }): Promise<{ size: number }>;
  /** The file's bytes as a stream; throws `FileNotFoundError` when there is no such file. */
  get(key: string): Promise<Readable>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every stored file whose key starts with `prefix`, page by page (for sweeps and erasure). */
  list(prefix?: string): AsyncIterable<StoredFile>;
  close(): Promise<void>;
}

export class FileNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored file under ${key}`);
    this.name = 'FileNotFoundError';
  }
}

/**
 * Re-slices a body into chunks of exactly `size` bytes (the last may be shorter). Whole chunks
 * are views into the producer's pieces, not copies: a chunk is valid until the next one is asked
 * for, so a consumer must be done with it (written, or copied) by then. Only bytes carried over
 * from one piece to the next are copied, as the producer may reuse its buffer once resumed.
 */
export async function* rechunk(body: FileBody, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of body as AsyncIterable<Uint8Array | string>) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (pendingBytes > 0 && pendingBytes + chunk.length >= size) {
      const take = size - pendingBytes;
      pending.push(chunk.subarray(0, take));
      yield Buffer.concat(pending, size);
      chunk = chunk.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    while (chunk.length >= size) {
      yield chunk.subarray(0, size);
      chunk = chunk.subarray(size);
    }
    if (chunk.length > 0) {
      // Copy: the producer may reuse its buffer after we return to it.
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
