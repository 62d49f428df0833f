import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundSql, directSql, numbered, type BoundSql } from './bound-sql';
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

describe('numbered', () => {
  it('numbers placeholders, leaving quoted text and comments alone', () => {
    expect(numbered(`select ?::uuid, '?', "a?b" -- what?\n from t where x = ? and y = '{}'`)).toBe(
      `select $1::uuid, '?', "a?b" -- what?\n from t where x = $2 and y = '{}'`,
    );
    expect(numbered(`select 'it''s ?', ?`)).toBe(`select 'it''s ?', $1`);
  });
});

describe.each(testDatabaseKinds())('directSql on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db.close());

  const keys = async (prefix: string) =>
    (await directSql(db.orm.em.fork()).execute<{ key: string }>('select key from file_objects where key like ? order by key', [`${prefix}%`])).map((row) => row.key);
  const insert = (key: string) => [
    'insert into file_objects (key, size, content_type, complete, created_at) values (?, 0, null, false, ?)',
    [key, new Date()],
  ] as const;

  it('binds `?` parameters and commits a transaction', async () => {
    const sql = directSql(db.orm.em.fork());
    const result = await sql.transaction(async (execute) => {
      await execute(...insert(`commit-${kind}-a`));
      await execute(...insert(`commit-${kind}-b`));
      return 'done';
    });
    expect(result).toBe('done');
    expect(await keys(`commit-${kind}`)).toEqual([`commit-${kind}-a`, `commit-${kind}-b`]);
  });

  it('rolls the whole transaction back when a statement in it fails, and keeps working', async () => {
    const sql = directSql(db.orm.em.fork());
    await expect(
      sql.transaction(async (execute) => {
        await execute(...insert(`rollback-${kind}`));
        await execute(...insert(`rollback-${kind}`));
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await keys(`rollback-${kind}`)).toEqual([]);
    await sql.execute(...insert(`rollback-${kind}`));
    expect(await keys(`rollback-${kind}`)).toEqual([`rollback-${kind}`]);
  });

  it("joins the transaction its EntityManager is in, so the caller's rollback takes its statements too", async () => {
    await expect(
      db.orm.em.fork().transactional(async (tx) => {
        await directSql(tx).execute(...insert(`joined-${kind}`));
        const [row] = await tx.execute<{ n: string | number }[]>('select count(*) as n from file_objects where key = ?', [`joined-${kind}`]);
        expect(Number(row!.n)).toBe(1);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await keys(`joined-${kind}`)).toEqual([]);
  });

  it('prepares a statement once per connection and plans it again only when its table changes', async () => {
    const sql = directSql(db.orm.em.fork());
    const table = `prepared_probe_${kind}`;
    await sql.execute(`create table ${table} (id int primary key)`);
    await sql.execute(`insert into ${table} values (1)`);
    const read = `select * from ${table} where id = ?`;
    if (kind === 'postgresql') {
      // One connection for the transaction: it kept the statement under one name, parsed once.
      const prepared = await sql.transaction(async (execute) => {
        await execute(read, [1]);
        await execute(read, [1]);
        return execute<{ n: string }>('select count(*) as n from pg_prepared_statements where statement = ?', [numbered(read)]);
      });
      expect(Number(prepared[0]!.n)).toBe(1);
    } else {
      // PGlite's one connection keeps it under one name too, parsed once.
      await sql.execute(read, [1]);
      await sql.execute(read, [1]);
      const prepared = await sql.execute<{ n: string }>('select count(*) as n from pg_prepared_statements where statement = ?', [numbered(read)]);
      expect(Number(prepared[0]!.n)).toBe(1);
    }
    expect(await sql.execute(read, [1])).toEqual([{ id: 1 }]);
    // A migration on another replica adds a column: the prepared `select *` would return another
    // row type, which PostgreSQL refuses; the statement is sent again unnamed.
    await sql.execute(`alter table ${table} add column note text default 'new'`);
    expect(await sql.execute(read, [1])).toEqual([{ id: 1, note: 'new' }]);
    expect(await sql.execute(read, [1])).toEqual([{ id: 1, note: 'new' }]);
  });

  it('refuses a value its parameter cannot take, and runs the same statement with a good one after', async () => {
    const sql = directSql(db.orm.em.fork());
    const id = '0b8f3c1e-7d2a-4c5b-9e6f-1a2b3c4d5e6f';
    await expect(sql.execute('select ?::uuid as id', ['not a uuid'])).rejects.toThrow(/invalid input syntax for type uuid/);
    expect(await sql.execute('select ?::uuid as id', [id])).toEqual([{ id }]);
    await expect(sql.execute('select no_such_column from users where id = ?', [id])).rejects.toThrow(/does not exist/);
    expect(await sql.execute('select ?::int + 1 as n', [41])).toEqual([{ n: 42 }]);
  });

  // Last: it closes the connection the other tests use.
  it('follows the ORM to the client it reconnects with', async () => {
    expect(await directSql(db.orm.em.fork()).execute<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
    await db.orm.close();
    await db.orm.connect();
    expect(await directSql(db.orm.em.fork()).execute<{ one: number }>('select ?::int as one', [1])).toEqual([{ one: 1 }]);
  });
});
