import { parse as pgliteResults, protocol } from '@electric-sql/pglite';
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
  const { query, insert } = await nativeClient(em);
  return {
    query,
    insert: (table, columns, values) => insert(insertStatement(table, columns), values),
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

/** A statement written as for `em.execute` (`?` placeholders), its rows as `em.execute` returns them. */
/** A timestamp from a raw row: a Date from a column, an ISO string from inside a JSON value. */
export const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** A JSON value from a raw row: parsed by the driver on PostgreSQL, text on PGlite (null stays null). */
export const asJson = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export type Execute = <T extends object>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

export type DirectSql = {
  /** One statement, bound and sent by the driver. */
  execute: Execute;
  /** `work`'s statements on one connection between `begin` and `commit`, rolled back when it throws. */
  transaction<T>(work: (execute: Execute) => Promise<T>): Promise<T>;
};

/**
 * Statements written as for `em.execute`, sent without MikroORM's path: `em.execute` inlines
 * every parameter into the text (escaping each value, then the whole statement is a new string
 * for the server to parse) and `em.transactional` forks the EntityManager and computes a change
 * set at commit. Here parameters are bound, and a transaction is `begin`/`commit` on one pooled
 * connection (PostgreSQL) or PGlite's own exclusive transaction. For the chat turn's statements,
 * where that path was most of their CPU. Rows come back parsed as `em.execute` parses them (the
 * same type parsers on the same pool or PGlite instance). Statements pass MikroORM's logger as
 * written, with their values, so statement counts and the cached tables' watch still see them.
 *
 * When `em` is inside a transaction, its statements must join it: they go through `em.execute`
 * (and a nested `transaction` through `em.transactional`, a savepoint) as before.
 */
export function directSql(em: EntityManager): DirectSql {
  if (em.isInTransaction()) {
    return {
      execute: (sql, params = []) => em.execute(sql, [...params]),
      transaction: (work) => em.transactional((tx) => work((sql, params = []) => tx.execute(sql, [...params]))),
    };
  }
  const logger = em.config.getLogger();
  const log = (query: string, params: readonly unknown[] = []) => logger.logQuery({ query, params: [...params], level: 'info' });
  return {
    async execute<T extends object>(sql: string, params: readonly unknown[] = []) {
      log(sql, params);
      return (await driverOf(em)).query<T>(numbered(sql), params);
    },
    async transaction<T>(work: (execute: Execute) => Promise<T>) {
      return (await driverOf(em)).transaction(async (query) => {
        log('begin');
        const result = await work(async <R extends object>(sql: string, params: readonly unknown[] = []) => {
          log(sql, params);
          return query<R>(numbered(sql), params);
        });
        log('commit');
        return result;
      });
    },
  };
}

type Driver = { query: Query; transaction<T>(work: (query: Query) => Promise<T>): Promise<T> };

const drivers = new WeakMap<object, Driver>();

/**
 * The driver's own client behind `em`, made once per client: the pool or the PGlite instance of
 * the moment (asked for each time, as MikroORM's own statements do), so a reconnected ORM's new
 * client gets a driver of its own.
 */
async function driverOf(em: EntityManager): Promise<Driver> {
  const connection = em.getConnection();
  if (connection instanceof PgliteConnection) {
    const pglite = await connection.getNativeClient();
    let driver = drivers.get(pglite);
    if (!driver) drivers.set(pglite, (driver = pgliteDriver(pglite)));
    return driver;
  }
  const pool = await (connection as PostgreSqlConnection).getNativeClient();
  let driver = drivers.get(pool);
  if (!driver) drivers.set(pool, (driver = poolDriver(pool)));
  return driver;
}

function pgliteDriver(pglite: Awaited<ReturnType<PgliteConnection['getNativeClient']>>): Driver {
  // The statements this PGlite instance has parsed under a name, with their parameters' types.
  const prepared = new Map<string, number[]>();
  return {
    query: (sql, params) => preparedPgliteQuery(pglite, prepared, sql, params),
    // PGlite's transaction is exclusive: other statements (MikroORM's too) wait until it ends.
    transaction: (work) =>
      pglite.transaction((tx) => work(async <T extends object>(sql: string, params: readonly unknown[] = []) => (await tx.query<T>(sql, params as unknown[])).rows)),
  };
}

function poolDriver(pool: Awaited<ReturnType<PostgreSqlConnection['getNativeClient']>>): Driver {
  return {
    query: (sql, params) => preparedQuery(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('begin');
        try {
          const result = await work((sql, params) => preparedQuery(client, sql, params));
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch((rollbackError: unknown) => (broken = rollbackError));
          throw error;
        }
      } finally {
        // A connection whose rollback failed is in an unknown state: the pool drops it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}

type Queryable = Pick<Awaited<ReturnType<PostgreSqlConnection['getNativeClient']>>, 'query'>;

/** Names given to statement texts, the same in every connection of this process. */
const statementNames = new Map<string, string | null>();
/** The turn's and the pages' statements are a few dozen shapes; more than this is text that varies. */
const MAX_NAMED_STATEMENTS = 500;

/** The name a statement text goes under (null: it goes unnamed, as texts past the limit do). */
function statementName(sql: string): string | null {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = statementNames.size < MAX_NAMED_STATEMENTS ? `atrium_${statementNames.size + 1}` : null;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A statement sent as a named prepared statement: each pooled connection parses it once and
 * PostgreSQL keeps its plan, instead of parsing and planning the text on every call (the turn's
 * read took 0.52 ms unnamed, 0.17 ms named). PgBouncer must then run in session mode, as
 * LISTEN already needs (docs/replicas.md).
 */
async function preparedQuery<T extends object>(client: Queryable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const name = statementName(sql);
  if (name === null) return (await client.query(sql, params as unknown[])).rows as T[];
  try {
    return (await client.query({ name, text: sql, values: params as unknown[] })).rows as T[];
  } catch (error) {
    // A migration changed what `select c.*` returns under a connection that prepared it (another
    // replica migrated first): this text goes unnamed from now on, and this call once more.
    if (!isCachedPlanChanged(error)) throw error;
    statementNames.set(sql, null);
    return (await client.query(sql, params as unknown[])).rows as T[];
  }
}

/**
 * The same on PGlite, whose `query` parses and plans every text again (an unnamed statement):
 * for `chat.messages`' page, 2.5 of its 7.2 ms (docs/performance.md, "PGlite plans every
 * statement again"). The first call parses the text under its name and asks for its parameters'
 * types; every call then binds and runs it. Bind, Describe, Execute and Sync go as one message, so
 * PostgreSQL reaches the Sync even after an error. As `pglite.query` does: it waits for a
 * transaction in progress and for any other statement, serializes each value by its parameter's
 * type, parses rows with the instance's parsers, and writes to disk after.
 */
async function preparedPgliteQuery<T extends object>(pglite: PGliteClient, prepared: Map<string, number[]>, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const name = statementName(sql);
  if (name === null) return (await pglite.query<T>(sql, params as unknown[])).rows;
  const { serialize } = protocol;
  const send = (...messages: Uint8Array[]) => pglite.execProtocolStream(Buffer.concat(messages), { syncToFs: false });
  try {
    return await pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        let types = prepared.get(name);
        if (!types) {
          const described = await send(serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync());
          types = pgliteResults.parseDescribeStatementResults(described);
          prepared.set(name, types);
        }
        const values = params.map((value, i) => (value === null || value === undefined ? null : (pglite.serializers[types[i]!] ?? String)(value)));
        const messages = await send(serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync());
        await pglite.syncToFs();
        return pgliteResults.parseResults(messages, pglite.parsers)[0]!.rows as T[];
      }),
    );
  } catch (error) {
    if (!isCachedPlanChanged(error)) throw error;
    statementNames.set(sql, null);
    return (await pglite.query<T>(sql, params as unknown[])).rows;
  }
}

const isCachedPlanChanged = (error: unknown) =>
  (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

const numberedCache = new Map<string, string>();

/**
 * `?` placeholders as `$1`, `$2`… (outside quoted literals, identifiers and comments). The turn's
 * statements are a handful of shapes, so each is converted once.
 */
export function numbered(sql: string): string {
  let bound = numberedCache.get(sql);
  if (bound !== undefined) return bound;
  bound = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      bound += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      bound += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      bound += `$${++n}`;
    } else bound += c;
  }
  if (numberedCache.size < 1000) numberedCache.set(sql, bound);
  return bound;
}

type NativeClient = { query: Query; insert(sql: string, values: readonly RowValue[]): Promise<void> };

async function nativeClient(em: EntityManager): Promise<NativeClient> {
  const connection = em.getConnection();
  if (connection instanceof PgliteConnection) {
    const pglite = await connection.getNativeClient();
    const options = {
      // Returned as is, a Uint8Array is bound in binary format (PGlite's serializer type says string).
      serializers: { [BYTEA]: (bytes: Uint8Array) => bytes as unknown as string },
      parsers: { [BYTEA]: (hex: string) => Buffer.from(hex.slice(2), 'hex') },
    };
    return {
      query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await pglite.query<T>(sql, params as unknown[], options)).rows,
      insert: pgliteInsert(pglite),
    };
  }
  const pool = await (connection as PostgreSqlConnection).getNativeClient();
  // `pg` binds a Buffer as a binary parameter and parses `bytea` results into Buffers itself.
  const query = async <T extends object>(sql: string, params: readonly unknown[] = []) => (await pool.query(sql, params as unknown[])).rows as T[];
  return { query, insert: async (sql, values) => void (await query(sql, values)) };
}

type PGliteClient = Awaited<ReturnType<PgliteConnection['getNativeClient']>>;

/**
 * An insert on PGlite as one protocol message (Parse, Bind, Execute, Sync) written into a buffer
 * kept for the next one. `pglite.query` serializes a Bind through writers that copy the bytes
 * four times (a parameter writer grown then sliced, the message writer grown then sliced) and
 * sends Parse, Describe, Bind, Describe, Execute and Sync as six calls: a 50 MiB upload in 16 KiB
 * chunks made ~200 MiB of short-lived ArrayBuffers, malloc'd outside V8's heap, and the server
 * grew 55-80 MiB. Here the bytes are copied once, into this buffer (then PGlite copies them into
 * its WebAssembly memory, as it does for any message).
 *
 * It waits for what `pglite.query` waits for (a transaction in progress, another statement) and
 * writes to disk after, as `pglite.query` outside a transaction does. Parameter types are left to
 * PostgreSQL (the target columns'); bytes go in binary, text and integers as text.
 */
function pgliteInsert(pglite: PGliteClient): NativeClient['insert'] {
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(64 * 1024);
  let view = new DataView(buffer.buffer);
  return async (sql, values) => {
    const params = values.map((value) => (typeof value === 'number' ? String(value) : value));
    const byteLength = (value: string | Uint8Array) => (typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength);
    // Parse, Bind, Execute, Sync: each a type byte and an int32 length, then its fields.
    const parseSize = 4 + 1 + byteLength(sql) + 1 + 2;
    const bindSize = 4 + 1 + 1 + 2 + 2 * params.length + 2 + params.reduce((sum, value) => sum + 4 + byteLength(value), 0) + 2;
    const executeSize = 4 + 1 + 4;
    const size = 1 + parseSize + 1 + bindSize + 1 + executeSize + 1 + 4;
    // The row reaches the locked work through `held`, dropped as soon as that work starts. PGlite's
    // mutexes (async-mutex) leave the closures they ran reachable from promoted garbage: a closure
    // holding the row kept its bytes, and the 64 KiB socket read they are a view of, alive through
    // every scavenge until a full collection (25-33 MiB of dead Buffers during a 50 MiB upload).
    let held: typeof params | undefined = params;
    await pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        const params = held!;
        held = undefined;
        // Written under the locks: the buffer is this client's, and PGlite reads it only during the call.
        if (buffer.length < size) {
          buffer = new Uint8Array(Math.max(size, buffer.length * 2));
          view = new DataView(buffer.buffer);
        }
        let at = 0;
        const int16 = (n: number) => void (view.setInt16(at, n), (at += 2));
        const int32 = (n: number) => void (view.setInt32(at, n), (at += 4));
        const string = (text: string) => void (at += encoder.encodeInto(text, buffer.subarray(at)).written);
        const start = (code: string, length: number) => void ((buffer[at++] = code.charCodeAt(0)), int32(length));
        start('P', parseSize);
        buffer[at++] = 0; // the unnamed statement
        string(sql);
        buffer[at++] = 0;
        int16(0); // no parameter types: PostgreSQL infers them
        start('B', bindSize);
        buffer[at++] = 0; // the unnamed portal
        buffer[at++] = 0; // of the unnamed statement
        int16(params.length);
        for (const value of params) int16(typeof value === 'string' ? 0 : 1);
        int16(params.length);
        for (const value of params) {
          int32(byteLength(value));
          if (typeof value === 'string') string(value);
          else {
            buffer.set(value, at);
            at += value.byteLength;
          }
        }
        int16(0); // no result columns
        start('E', executeSize);
        buffer[at++] = 0; // the unnamed portal
        int32(0); // every row
        start('S', 4);
        await pglite.execProtocol(buffer.subarray(0, at));
      }),
    );
  };
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const insertStatement = (table: string, columns: readonly string[]) =>
  `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
