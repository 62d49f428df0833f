import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { startS3Server, type S3Server } from '@atrium/testing/s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore, FileNotFoundError, PostgresFileStore, readFilesEnv, type FileStore } from './index';

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A body delivered in uneven pieces, as a network upload arrives. */
async function* pieces(data: Buffer, sizes = [1, 1000, 65_536, 7, 300_001]) {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

async function* failingAfter(data: Buffer) {
  yield data;
  throw new Error('the client went away');
}

const collect = async (iterable: AsyncIterable<{ key: string }>) => {
  const keys: string[] = [];
  for await (const item of iterable) keys.push(item.key);
  return keys.sort();
};

type Driver = { name: string; open(): Promise<{ store: FileStore; close(): Promise<void> }> };

const drivers: Driver[] = [
  ...testDatabaseKinds().map((kind) => ({
    name: `postgres driver on ${kind}`,
    async open() {
      const db: TestDatabase = await createTestDatabase(kind);
      // A small chunk size so even these small files span many rows.
      const store = new PostgresFileStore(db.orm.em, 64 * 1024);
      return { store, close: () => db.close() };
    },
  })),
  {
    name: 's3 driver against s3rver on loopback',
    async open() {
      const s3: S3Server = await startS3Server();
      const db = await createTestDatabase('pglite');
      const store = createFileStore(db.orm, readFilesEnv(s3.env));
      return {
        store,
        async close() {
          await store.close();
          await s3.stop();
          await db.close();
        },
      };
    },
  },
];

describe.each(drivers)('FileStore: $name', (driver) => {
  let store: FileStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await driver.open());
  });
  afterAll(() => close());

  it('gives back exactly the bytes it was given, streamed in uneven pieces', async () => {
    const data = randomBytes(1_200_000);
    const { size } = await store.put('attachments/u1/a', Readable.from(pieces(data)), { contentType: 'application/pdf' });
    expect(size).toBe(data.length);
    expect(await store.exists('attachments/u1/a')).toBe(true);
    const back = await buffer(await store.get('attachments/u1/a'));
    expect(back.length).toBe(data.length);
    expect(sha(back)).toBe(sha(data));
  });

  it('stores an empty file', async () => {
    expect(await store.put('attachments/u1/empty', Readable.from([]))).toEqual({ size: 0 });
    expect((await buffer(await store.get('attachments/u1/empty'))).length).toBe(0);
  });

  it('replaces a file put again under the same key', async () => {
    await store.put('attachments/u1/r', Readable.from([Buffer.from('first version, longer')]));
    await store.put('attachments/u1/r', Readable.from([Buffer.from('second')]));
    expect((await buffer(await store.get('attachments/u1/r'))).toString()).toBe('second');
  });

  it('lists by prefix and deletes, and a deleted or missing file is not found', async () => {
    await store.put('exports/u2/x', Readable.from([Buffer.from('x')]));
    await store.put('exports/u2/y', Readable.from([Buffer.from('y')]));
    await store.put('exports/u3/z', Readable.from([Buffer.from('z')]));
    expect(await collect(store.list('exports/u2/'))).toEqual(['exports/u2/x', 'exports/u2/y']);
    await store.delete('exports/u2/x');
    await store.delete('exports/u2/never-there');
    expect(await store.exists('exports/u2/x')).toBe(false);
    await expect(store.get('exports/u2/x')).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await collect(store.list('exports/'))).toEqual(['exports/u2/y', 'exports/u3/z']);
  });

  it('round-trips a file larger than two S3 parts, the last one short', async () => {
    const data = randomBytes(11 * 1024 * 1024 + 12_345);
    const { size } = await store.put('attachments/u5/large', Readable.from(pieces(data, [65_536, 1, 300_001])));
    expect(size).toBe(data.length);
    expect(sha(await buffer(await store.get('attachments/u5/large')))).toBe(sha(data));
  });

  it('leaves nothing behind when the body fails after a whole part was sent', async () => {
    async function* partThenFailure() {
      yield* pieces(randomBytes(6 * 1024 * 1024), [65_536]);
      throw new Error('the client went away');
    }
    await expect(store.put('attachments/u6/broken', Readable.from(partThenFailure()))).rejects.toThrow('the client went away');
    expect(await store.exists('attachments/u6/broken')).toBe(false);
    expect(await collect(store.list('attachments/u6/'))).toEqual([]);
  });

  it('leaves nothing readable when the body fails half-way', async () => {
    await expect(store.put('attachments/u4/broken', Readable.from(failingAfter(randomBytes(200_000))))).rejects.toThrow();
    expect(await store.exists('attachments/u4/broken')).toBe(false);
    expect(await collect(store.list('attachments/u4/'))).toEqual([]);
  });
});

describe('file store configuration', () => {
  it('defaults to PostgreSQL and needs a bucket for S3', () => {
    expect(readFilesEnv({}).FILE_STORE).toBe('postgres');
    expect(() => readFilesEnv({ FILE_STORE: 's3' })).toThrow(/S3_BUCKET/);
    const env = readFilesEnv({ FILE_STORE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true', S3_CHECKSUMS: 'when_required' });
    expect(env).toMatchObject({ S3_FORCE_PATH_STYLE: true, S3_CHECKSUMS: 'when_required', S3_REGION: 'us-east-1' });
  });
});
