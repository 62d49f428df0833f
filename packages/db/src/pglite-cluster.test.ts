import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type Orm } from './config';
import { createPgliteCluster } from './pglite-cluster';

describe('a PGlite cluster on disk', () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));
  const emptyDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atrium-cluster-'));
    made.push(dir);
    return dir;
  };

  // The first open of an empty directory is the fixture: PostgreSQL's initdb, in a node process of
  // its own, ~4 s of CPU when idle and five times that beside CI's other tasks. It starts a
  // database as the other files' set-up does, within the set-up hooks' budget; the tests below
  // only check what it left.
  let dir: string;
  let first: Orm;
  beforeAll(async () => {
    dir = join(await emptyDir(), 'pglite');
    first = await openOrm({ kind: 'pglite', dataDir: dir }, { debug: false });
  });
  afterAll(() => first?.close());

  it('is made by another process when openOrm opens an empty directory, and is then run with its start parameters', async () => {
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    const [buffers] = await first.em.execute<{ shared_buffers: string }[]>('show shared_buffers');
    expect(buffers!.shared_buffers).toBe('16MB');
  });

  it('is made once, and keeps its data across a reopen', async () => {
    await first.em.execute('create table kept (n int)');
    await first.em.execute('insert into kept values (7)');
    await first.close();
    // The directory holds a cluster now: nothing is made again.
    expect(await createPgliteCluster(dir, PGlite.defaultStartParams)).toBe(false);
    const second = await openOrm({ kind: 'pglite', dataDir: dir }, { debug: false });
    expect(await second.em.execute('select n from kept')).toEqual([{ n: 7 }]);
    await second.close();
  });

  it("fails with the child's error when the directory cannot hold a cluster", async () => {
    const file = join(await emptyDir(), 'not-a-directory');
    await writeFile(file, 'x');
    await expect(createPgliteCluster(file, PGlite.defaultStartParams)).rejects.toThrow(`Creating the PGlite cluster in ${file} failed: `);
  });
});
