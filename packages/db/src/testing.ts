import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openOrm, type DatabaseTarget, type Orm } from './config';

/**
 * Test support: a fresh, migrated database per call. PGlite always; PostgreSQL too when
 * TEST_DATABASE_URL is set (CI sets it). Each PostgreSQL database is created and dropped here.
 */
export type TestDatabaseKind = 'pglite' | 'postgresql';

export const testDatabaseKinds = (): TestDatabaseKind[] =>
  process.env.TEST_DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];

export type TestDatabase = { kind: TestDatabaseKind; orm: Orm; url?: string; close(): Promise<void> };

export async function createTestDatabase(kind: TestDatabaseKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const orm = await openOrm({ kind: 'pglite', dataDir: 'memory://' }, { debug: false });
    await migrate(orm);
    return { kind, orm, close: () => orm.close(true) };
  }
  const { url, drop } = await createPostgresDatabase();
  const orm = await openOrm({ kind: 'postgresql', url }, { debug: false });
  try {
    await migrate(orm);
  } catch (error) {
    await orm.close(true);
    await drop();
    throw error;
  }
  return {
    kind,
    orm,
    url,
    async close() {
      await orm.close(true);
      await drop();
    },
  };
}

/** An empty PostgreSQL database on the TEST_DATABASE_URL server, for tests that open their own connections. */
export async function createPostgresDatabase(): Promise<{ url: string; target: DatabaseTarget; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    target: { kind: 'postgresql', url: url.toString() },
    async drop() {
      await withAdminClient(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
