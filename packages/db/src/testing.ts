import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { databaseHandle, migrate, migrationsPath, openOrm, pgliteStartParams, type DatabaseTarget, type EntityManager, type Orm } from './config';

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
    const orm = await openOrm(await migratedPgliteTarget(), { debug: false });
    // Nothing is pending when the image is current; this only checks.
    await migrate(orm);
    return { kind, orm, close: () => orm.close(true) };
  }
  const { url, drop } = await createPostgresDatabase({ migrated: true });
  const orm = await openOrm({ kind: 'postgresql', url }, { debug: false });
  try {
    // Nothing is pending when the template is current; this only checks.
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

/**
 * Migrating a fresh PGlite runs every migration in WASM: seconds on an idle machine, tens of
 * seconds on a busy one, for every test database. Instead the migrated cluster is dumped once
 * and each test database starts from that image. The image is kept in the temp folder, named by
 * a hash of the migrations and the PGlite version, so one test run (across its worker
 * processes) migrates once and a changed migration makes a new image.
 */
export const migratedPgliteTarget = async (): Promise<Extract<DatabaseTarget, { kind: 'pglite' }>> => ({
  kind: 'pglite',
  dataDir: 'memory://',
  image: await migratedPgliteImage(),
});

let imageInProcess: Promise<Blob> | undefined;
function migratedPgliteImage(): Promise<Blob> {
  imageInProcess ??= imageBuiltOnce(join(tmpdir(), `atrium-pglite-${imageFingerprint(PGLITE_IMAGE_RECIPE)}.tar`));
  return imageInProcess;
}

/**
 * A fresh clone's test run starts many worker processes at once (every package, several files
 * each), and each would migrate its own PGlite to make the image: on two cores that is minutes of
 * WASM before the first test. One process takes a lock file and builds; the rest sleep until the
 * image is there (or take over if the builder died).
 */
async function imageBuiltOnce(path: string): Promise<Blob> {
  const lock = `${path}.lock`;
  for (;;) {
    const existing = await readFile(path).catch(() => null);
    if (existing) return new Blob([existing]);
    const claimed = await open(lock, 'wx').catch(() => null);
    if (claimed) {
      await claimed.writeFile(String(process.pid));
      await claimed.close();
      try {
        return await buildImage(path);
      } finally {
        await rm(lock, { force: true });
      }
    }
    if (await lockIsStale(lock)) await rm(lock, { force: true });
    await sleep(200);
  }
}

async function lockIsStale(lock: string): Promise<boolean> {
  const [owner, info] = await Promise.all([readFile(lock, 'utf8').catch(() => ''), stat(lock).catch(() => null)]);
  if (!info) return false;
  const pid = Number(owner);
  // Written in the same breath as the lock was made; a lock still empty after a minute is an orphan.
  if (!pid) return Date.now() - info.mtimeMs > 60_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Every test database loads the whole image and boots from it, so the image holds only what a
 * test uses: PostgreSQL's own 16 MB WAL segment and the two template databases (7 MB each, which
 * PGlite never copies) were two thirds of it, and a start copied and untarred 42 MB (~0.6 s and
 * 0.8 CPU-s); with 1 MB segments and no templates it is ~16 MB (~0.3 s and 0.35 CPU-s).
 */
async function buildImage(path: string): Promise<Blob> {
  const cluster = await PGlite.create({ startParams: pgliteStartParams, initDbStartParams: ['--wal-segsize=1'] });
  const empty = await cluster.dumpDataDir('none');
  await cluster.close();
  const orm = await openOrm({ kind: 'pglite', dataDir: 'memory://', image: empty }, { debug: false });
  try {
    await migrate(orm);
    const pglite = await pgliteOf(orm);
    await pglite.exec(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
    await pglite.exec('drop database template0');
    await pglite.exec('drop database template1');
    await pglite.exec('checkpoint');
    const image = await pglite.dumpDataDir('none');
    // Written aside and renamed: a waiting worker never reads half an image.
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await image.arrayBuffer()));
    await rename(partial, path);
    return image;
  } finally {
    await orm.close(true);
  }
}

/** How the PGlite image is made (buildImage): a new recipe makes a new image. */
const PGLITE_IMAGE_RECIPE = '1 MB WAL segments, no templates';

/** The migrations and the PGlite version, and what `recipe` adds: a change to any makes a new image or template. */
function imageFingerprint(recipe = ''): string {
  const hash = createHash('sha256');
  hash.update(recipe);
  // The package's entry point is in dist/; its package.json (and version) sits above it.
  hash.update(readFileSync(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json')));
  for (const file of readdirSync(migrationsPath).filter((name) => name.endsWith('.ts')).sort()) {
    hash.update(file).update(readFileSync(join(migrationsPath, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function pgliteOf(orm: Orm) {
  const handle = await databaseHandle(orm);
  if (handle.kind !== 'pglite') throw new Error('expected a PGlite database');
  return handle.pglite;
}

/**
 * An empty PostgreSQL database on the TEST_DATABASE_URL server, for tests that open their own
 * connections; with `migrated`, a copy of a migrated template instead (what createTestDatabase uses).
 */
export async function createPostgresDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ url: string; target: DatabaseTarget; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? ` template "${await migratedPostgresTemplate(serverUrl)}"` : '';
  await withAdminClient(serverUrl, (client) => client.query(`create database "${name}"${template}`));
  const url = databaseUrl(serverUrl, name);
  return {
    url: url.toString(),
    target: { kind: 'postgresql', url: url.toString() },
    async drop() {
      await withAdminClient(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

const databaseUrl = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url;
};

let templateInProcess: Promise<string> | undefined;

/**
 * As with PGlite's image: every PostgreSQL test database ran every migration (~1 s, 0.4 CPU-s of
 * the server's and 0.2 of the test's, for each of some sixty databases a run makes). Instead one
 * database per migrations fingerprint is migrated once, marked a template, and each test database
 * is created as its copy. Several test processes start at once: an advisory lock lets one build it
 * while the others wait; `is_template` is set last, so a half-built one (a killed builder) is
 * rebuilt rather than copied.
 */
function migratedPostgresTemplate(serverUrl: string): Promise<string> {
  templateInProcess ??= (async () => {
    const name = `atrium_template_${imageFingerprint()}`;
    await withAdminClient(serverUrl, async (client) => {
      await client.query('select pg_advisory_lock(hashtext($1))', [name]);
      try {
        const ready = await client.query('select 1 from pg_database where datname = $1 and datistemplate', [name]);
        if (ready.rowCount) return;
        await client.query(`drop database if exists "${name}" with (force)`);
        await client.query(`create database "${name}"`);
        const orm = await openOrm({ kind: 'postgresql', url: databaseUrl(serverUrl, name).toString() }, { debug: false });
        try {
          await migrate(orm);
        } finally {
          await orm.close(true);
        }
        await client.query(`alter database "${name}" is_template true`);
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    return name;
  })();
  templateInProcess.catch(() => (templateInProcess = undefined));
  return templateInProcess;
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

export type Trace = { table: string; column: string; needle: string; rows: number };

/**
 * Every place in the database that still holds one of `needles` (ids, names, addresses): each
 * column of each table in every schema but PostgreSQL's own, read from the catalog, so a table
 * added later is searched without anyone listing it. Values are compared as text (json and
 * arrays included, bytes as UTF-8), case-insensitively for ASCII and exactly for the rest.
 */
export async function findTraces(em: EntityManager, needles: string[]): Promise<Trace[]> {
  const wanted = [...new Set(needles.filter((needle) => needle.length > 0))];
  // pg_catalog rather than information_schema: the same columns, read in milliseconds instead of
  // the second information_schema's views take on PGlite.
  const columns = await em.execute<{ table_schema: string; table_name: string; column_name: string; data_type: string }[]>(
    `select n.nspname as table_schema, c.relname as table_name, a.attname as column_name, format_type(a.atttypid, null) as data_type
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on c.oid = a.attrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by n.nspname, c.relname, a.attnum`,
  );
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const traces: Trace[] = [];
  // One statement per table, counting every column and needle in it: a statement per column
  // was hundreds of round trips per walk.
  for (const [table, tableColumns] of Map.groupBy(columns, (column) => `${quote(column.table_schema)}.${quote(column.table_name)}`)) {
    const counts: string[] = [];
    const params: string[] = [];
    const asked: Omit<Trace, 'rows'>[] = [];
    for (const column of tableColumns) {
      const field = quote(column.column_name);
      for (const needle of wanted) {
        asked.push({ table: `${column.table_schema}.${column.table_name}`, column: column.column_name, needle });
        if (column.data_type === 'bytea') {
          counts.push(`count(*) filter (where position(convert_to(?, 'UTF8') in ${field}) > 0)`);
          params.push(needle);
          continue;
        }
        // JSON escapes quotes and backslashes, so a json column is searched for the escaped form too.
        const forms = [...new Set([needle, JSON.stringify(needle).slice(1, -1)])];
        const text = `${field}::text`;
        counts.push(`count(*) filter (where ${forms.map(() => `position(? in ${text}) > 0 or position(lower(?) in lower(${text})) > 0`).join(' or ')})`);
        params.push(...forms.flatMap((form) => [form, form]));
      }
    }
    const [row] = await em.execute<Record<string, string | number>[]>(`select ${counts.map((count, index) => `${count} as n${index}`).join(', ')} from ${table}`, params);
    asked.forEach((trace, index) => {
      const rows = Number(row?.[`n${index}`] ?? 0);
      if (rows > 0) traces.push({ ...trace, rows });
    });
  }
  return traces;
}
