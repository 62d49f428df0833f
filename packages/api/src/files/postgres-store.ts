import { Readable } from 'node:stream';
import { FileObject, type EntityManager, type Orm } from '@atrium/db';
import { FileNotFoundError, rechunk, type FileBody, type FileStore, type StoredFile } from './file-store';

/** 256 KiB: big enough that a 50 MB file is 200 rows, small enough to keep memory flat. */
export const PG_CHUNK_BYTES = 256 * 1024;
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

  constructor(
    private readonly orm: Orm,
    private readonly chunkBytes = PG_CHUNK_BYTES,
  ) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  async put(key: string, body: FileBody, options: { contentType?: string } = {}): Promise<{ size: number }> {
    const em = this.em();
    const connection = em.getConnection();
    // A replaced file keeps its key: the old bytes go first.
    await em.nativeDelete(FileObject, { key });
    await em.insert(FileObject, { key, size: 0, contentType: options.contentType ?? null, complete: false, createdAt: new Date() });
    let size = 0;
    let seq = 0;
    try {
      for await (const chunk of rechunk(body, this.chunkBytes)) {
        await connection.execute('insert into file_chunks (object_key, seq, data) values (?, ?, ?)', [key, seq++, chunk], 'run');
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
    const orm = this.orm;
    // One chunk per query, so only one chunk is in memory at a time however big the file.
    async function* chunks() {
      const connection = orm.em.fork().getConnection();
      for (let seq = 0; ; seq++) {
        const rows = await connection.execute<{ data: Uint8Array }[]>(
          'select data from file_chunks where object_key = ? and seq = ?',
          [key, seq],
        );
        const row = rows[0];
        if (!row) return;
        yield Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
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
