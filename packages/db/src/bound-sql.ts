import { PgliteConnection } from '@mikro-orm/pglite';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { EntityManager } from './config';

/** PostgreSQL's type id of `bytea`. */
const BYTEA = 17;

/** A column value for `insert`: text, a 32-bit integer (an `int` column), or bytes. */
export type RowValue = string | number | Uint8Array;

/**
 * Statements one at a time, outside any transaction, sent by the database's own client: `pg`'s
 * pool on PostgreSQL, the PGlite instance on PGlite.
 */
export type BoundSql = {
  /** A statement with bound parameters (`$1`, `$2`…); `bytea` results come back as Buffers. */
  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Inserts one row; bytes are bound in binary. */
  insert(table: string, columns: readonly string[], values: readonly RowValue[]): Promise<void>;
  /** The bytes in `column` of the one row matching `where` (equalities), or null. */
  bytes(table: string, column: string, where: Readonly<Record<string, string | number>>): Promise<Buffer | null>;
};

/**
 * SQL for statements that carry bytes (the file store's chunks). MikroORM's `execute` inlines
 * every parameter into the statement's text, so a 256 KiB `bytea` travelled as a 512 KiB hex
 * literal, copied several times on its way: a 50 MiB upload left the server 120 MiB bigger. Here
 * bytes go as binary (PGlite's own `bytea` serializer and parser go byte by byte through JS
 * arrays, so they are replaced for these statements).
 *
 * On PGlite a statement waits for any transaction MikroORM holds on the one connection, as the
 * ORM's own statements do. These statements do not pass MikroORM's logger.
 */
export async function boundSql(em: EntityManager): Promise<BoundSql> {
  const query = await nativeQuery(em);
  return {
    query,
    insert: async (table, columns, values) => void (await query(insertStatement(table, columns), values)),
    async bytes(table, column, where) {
      const condition = Object.keys(where)
        .map((key, i) => `${quote(key)} = $${i + 1}`)
        .join(' and ');
      const [row] = await query<{ bytes: Buffer }>(
        `select ${quote(column)} as bytes from ${quote(table)} where ${condition}`,
        Object.values(where),
      );
      return row ? row.bytes : null;
    },
  };
}

type Query = <T extends object>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

async function nativeQuery(em: EntityManager): Promise<Query> {
  const connection = em.getConnection();
  if (connection instanceof PgliteConnection) {
    const pglite = await connection.getNativeClient();
    const options = {
      // Returned as is, a Uint8Array is bound in binary format (PGlite's serializer type says string).
      serializers: { [BYTEA]: (bytes: Uint8Array) => bytes as unknown as string },
      parsers: { [BYTEA]: (hex: string) => Buffer.from(hex.slice(2), 'hex') },
    };
    return async <T extends object>(sql: string, params: readonly unknown[] = []) =>
      (await pglite.query<T>(sql, params as unknown[], options)).rows;
  }
  const pool = await (connection as PostgreSqlConnection).getNativeClient();
  // `pg` binds a Buffer as a binary parameter and parses `bytea` results into Buffers itself.
  return async <T extends object>(sql: string, params: readonly unknown[] = []) =>
    (await pool.query(sql, params as unknown[])).rows as T[];
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const insertStatement = (table: string, columns: readonly string[]) =>
  `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
