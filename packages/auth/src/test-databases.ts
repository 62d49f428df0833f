import { databaseHandle, listenForChanges, openOrm, tableWatchOf, type Orm, type RowKey } from '@atrium/db';
import { createPostgresDatabase, migratedPgliteTarget, type TestDatabaseKind } from '@atrium/db/testing';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

// Test-only helpers for the row caches' tests (session-cache.test.ts, apiKeys.test.ts).

/** An ORM on a fresh migrated database that counts the statements it sends (transaction control included). */
export async function countingDatabase(kind: TestDatabaseKind, url?: string) {
  const sent: string[] = [];
  const observeQueries = (sql: string) => void sent.push(sql);
  if (kind === 'pglite') {
    const orm = await openOrm(await migratedPgliteTarget(), { debug: false, observeQueries });
    return { orm, sent, url: undefined, close: () => orm.close(true) };
  }
  const created = url ? { url, drop: async () => {} } : await createPostgresDatabase({ migrated: true });
  const orm = await openOrm({ kind: 'postgresql', url: created.url }, { debug: false, observeQueries });
  return {
    orm,
    sent,
    url: created.url,
    async close() {
      await orm.close(true);
      await created.drop();
    },
  };
}

/** A statement sent beside the ORM (as another replica would), so this process does not see it. */
export async function unobserved(orm: Orm, sql: string, params: unknown[]) {
  const handle = await databaseHandle(orm);
  if (handle.kind === 'pglite') return void (await handle.pglite.query(sql, params));
  const client = new pg.Client({ connectionString: handle.url });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Statements `work` sends. */
export async function statementsOf(sent: string[], work: () => Promise<unknown>) {
  const before = sent.length;
  await work();
  return sent.slice(before);
}

/** Resolves when `orm` (a replica) hears of the row, or of everything: the notification has landed. */
export const heardOn = (orm: Orm, key: RowKey) =>
  new Promise<void>((resolve) => {
    const stop = tableWatchOf(orm).subscribeRows((heard) => {
      if (heard === key || heard === 'all') {
        stop();
        resolve();
      }
    });
  });

type CountingDatabase = Awaited<ReturnType<typeof countingDatabase>>;

/**
 * Two ORMs on one fresh PostgreSQL database are two replicas: B listens for changes, A writes.
 * Call inside a `describe`; the databases exist from its `beforeAll` on.
 */
export function twoReplicas() {
  const replicas = {} as { a: CountingDatabase; b: CountingDatabase };
  let stopListening: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    replicas.a = await countingDatabase('postgresql');
    replicas.b = await countingDatabase('postgresql', replicas.a.url);
    stopListening = await listenForChanges(replicas.b.orm);
  });
  afterAll(async () => {
    await stopListening?.();
    await replicas.b?.close();
    await replicas.a?.close();
  });
  return replicas;
}
