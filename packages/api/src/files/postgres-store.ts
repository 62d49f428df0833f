import { Readable } from 'node:stream';
import { boundSql, FileObject, type BoundSql, type EntityManager } from '@atrium/db';
import { FileNotFoundError, rechunk, type FileBody, type FileStore, type StoredFile } from './file-store';

/**
 * 16 KiB a row. On PGlite a chunk is read back as hex text (PGlite has no binary results), and
 * text past 128 KiB lands in V8's large-object space, which only a full collection frees: 256 KiB
 * chunks left a 50 MiB download 90+ MiB of such garbage. PostgreSQL reads and writes chunks in
 * binary (`boundSql`), where small rows also keep each message within one socket read.
 */
export const PG_CHUNK_BYTES = 16 * 1024;
const LIST_PAGE = 500;

/**
 * Files in PostgreSQL (or PGlite): a `file_objects` row per file and its bytes in `file_chunks`.
 * Nothing new to run, and every replica sees every file.
 *
 * Writing happens outside a transaction on purpose: on PGlite there is one connection, and a
 * transaction open for the length of a slow upload would stall every other request. Instead the
 * object row is created incomplete, chunks are appended one statement at a time, and the row is
 * marked complete last; readers only see complete files, a failed write deletes what it wrote,
 * and the sweep removes incomplete rows a crashed process left behind.
 */
export class PostgresFileStore implements FileStore {
  readonly driver = 'postgres' as const;

  /** `em` is any EntityManager of the database (the ORM's global one, or a request's); each operation forks its own. */
  constructor(
    private readonly root: EntityManager,
    private readonly chunkBytes = PG_CHUNK_BYTES,
  ) {}

  private sql?: Promise<BoundSql>;

  private em(): EntityManager {
    return this.root.fork();
  }

  /** Chunks bypass MikroORM, whose statements would inline them as hex text (`boundSql`). */
  private chunkSql(): Promise<BoundSql> {
    return (this.sql ??= boundSql(this.root));
  }

  async put(key: string, body: FileBody, options: { contentType?: string } = {}): Promise<{ size: number }> {
    const em = this.em();
    const sql = await this.chunkSql();
    // A replaced file keeps its key: the old bytes go first.
    await em.nativeDelete(FileObject, { key });
    await em.insert(FileObject, { key, size: 0, contentType: options.contentType ?? null, complete: false, createdAt: new Date() });
    let size = 0;
    let seq = 0;
    try {
      for await (const chunk of rechunk(body, this.chunkBytes)) {
        await sql.insert('file_chunks', ['object_key', 'seq', 'data'], [key, seq++, chunk]);
        size += chunk.length;
      }
      await em.nativeUpdate(FileObject, { key }, { size, complete: true });
    } catch (error) {
      await em.nativeDelete(FileObject, { key }).catch(() => undefined);
      throw error;
    }
    return { size };
  }

  async get(key: string): Promise<Readable> {
    const found = await this.em().findOne(FileObject, { key, complete: true }, { fields: ['key'] });
    if (!found) throw new FileNotFoundError(key);
    const sql = await this.chunkSql();
    // One chunk per query, so only one chunk is in memory at a time however big the file.
    async function* chunks() {
      for (let seq = 0; ; seq++) {
        const data = await sql.bytes('file_chunks', 'data', { object_key: key, seq });
        if (!data) return;
        yield data;
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async delete(key: string): Promise<void> {
    await this.em().nativeDelete(FileObject, { key });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.em().count(FileObject, { key, complete: true })) > 0;
  }

  async *list(prefix = ''): AsyncIterable<StoredFile> {
    let after = '';
    for (;;) {
      const page = await this.em().find(
        FileObject,
        { key: { $like: `${escapeLike(prefix)}%`, $gt: after }, complete: true },
        { orderBy: { key: 'asc' }, limit: LIST_PAGE, fields: ['key', 'size', 'createdAt'] },
      );
      for (const row of page) yield { key: row.key, size: row.size, createdAt: row.createdAt };
      if (page.length < LIST_PAGE) return;
      after = page[page.length - 1]!.key;
    }
  }

  /** Removes writes a crashed process never finished (older than `before`); returns how many. */
  async sweepIncomplete(before: Date): Promise<number> {
    return this.em().nativeDelete(FileObject, { complete: false, createdAt: { $lt: before } });
  }

  async close() {}
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
