import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundSql, type BoundSql } from './bound-sql';
import { FileObject } from './entities';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './testing';

describe.each(testDatabaseKinds())('boundSql on %s', (kind) => {
  let db: TestDatabase;
  let sql: BoundSql;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    sql = await boundSql(db.orm.em);
  });
  afterAll(() => db.close());

  const object = async (key: string) => {
    await db.orm.em.fork().insert(FileObject, { key, size: 0, contentType: null, complete: false, createdAt: new Date() });
    return key;
  };

  it('writes bytes and reads them back unchanged, whatever the key holds', async () => {
    const key = await object(`odd 'key' \\ with "quotes" ${kind}`);
    const data = randomBytes(40_000);
    await sql.insert('file_chunks', ['object_key', 'seq', 'data'], [key, 0, data]);
    await sql.insert('file_chunks', ['object_key', 'seq', 'data'], [key, 1, new Uint8Array(0)]);

    expect((await sql.bytes('file_chunks', 'data', { object_key: key, seq: 0 }))!.equals(data)).toBe(true);
    expect((await sql.bytes('file_chunks', 'data', { object_key: key, seq: 1 }))!.length).toBe(0);
    expect(await sql.bytes('file_chunks', 'data', { object_key: key, seq: 2 })).toBeNull();
    const rows = await sql.query<{ seq: number; data: Buffer }>('select seq, data from file_chunks where object_key = $1 order by seq', [key]);
    expect(rows.map((row) => row.seq)).toEqual([0, 1]);
    expect(Buffer.from(rows[0]!.data).equals(data)).toBe(true);
  });

  it('refuses a row the database refuses, and keeps working after it', async () => {
    // No file_objects row: the foreign key says no.
    await expect(sql.insert('file_chunks', ['object_key', 'seq', 'data'], [`missing-${kind}`, 0, randomBytes(10)])).rejects.toThrow(/foreign key/);
    // A statement that fails outright leaves the connection usable.
    await expect(sql.insert('no_such_table', ['data'], [randomBytes(10)])).rejects.toThrow(/does not exist/);
    const key = await object(`after-refusal-${kind}`);
    await sql.insert('file_chunks', ['object_key', 'seq', 'data'], [key, 0, Buffer.from('still here')]);
    expect((await sql.bytes('file_chunks', 'data', { object_key: key, seq: 0 }))!.toString()).toBe('still here');
  });
});
