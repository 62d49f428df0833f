import { hashPassword } from '@atrium/auth';
import { listenForChanges, ModelRateLimit, openOrm, seed, type Orm } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiIdentity, modelCatalog, roleLimit, summarySettings } from './platform.parts';

/** Polls until `check` holds; for changes that arrive from another connection. */
async function eventually(check: () => Promise<boolean>) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('The change never arrived.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDatabaseKinds())('settings, catalogue and limits in memory on %s', (kind) => {
  let db: TestDatabase;
  let orm: Orm;
  let statements: string[];
  let stopListening: () => Promise<void>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.orm.em.fork(), { hashPassword });
    // A second ORM on the same database, counting what it sends: PGlite has one connection, so here it is the same ORM.
    statements = [];
    orm = kind === 'postgresql' ? await openOrm({ kind: 'postgresql', url: db.url! }, { observeQueries: (sql) => statements.push(sql) }) : db.orm;
    stopListening = await listenForChanges(orm);
  });
  afterAll(async () => {
    await stopListening?.();
    if (orm !== db.orm) await orm?.close(true);
    await db?.close();
  });

  it('reads them once, then answers from memory', async () => {
    const em = orm.em.fork();
    await Promise.all([aiIdentity(em), summarySettings(em), modelCatalog(em), roleLimit(em, 'demo', 'student')]);
    const before = statements.length;
    const [identity, settings, catalog, limit] = await Promise.all([
      aiIdentity(orm.em.fork()),
      summarySettings(orm.em.fork()),
      modelCatalog(orm.em.fork()),
      roleLimit(orm.em.fork(), 'demo', 'student'),
    ]);
    if (kind === 'postgresql') expect(statements.length).toBe(before);
    expect(identity.displayName).toBe('Atrium');
    expect(settings.enabled).toBe(true);
    expect(catalog.map((model) => model.id)).toContain('demo');
    expect(limit).toEqual({ dailyRequestLimit: 100, monthlyTokenLimit: 2_000_000 });
    expect(Object.isFrozen(identity)).toBe(true);
  });

  it("sees this process's own writes at once, whatever path made them", async () => {
    const em = orm.em.fork();
    expect((await roleLimit(em, 'demo', 'student'))?.dailyRequestLimit).toBe(100);
    await em.execute(`update model_rate_limits set daily_request_limit = 7 where model_id = 'demo' and role = 'student'`);
    expect((await roleLimit(orm.em.fork(), 'demo', 'student'))?.dailyRequestLimit).toBe(7);
    await orm.em.fork().nativeUpdate(ModelRateLimit, { model: 'demo', role: 'student' }, { dailyRequestLimit: 100 });
    expect((await roleLimit(orm.em.fork(), 'demo', 'student'))?.dailyRequestLimit).toBe(100);
  });

  it('keeps nothing a rolled-back transaction wrote', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await tx.execute('update summary_settings set max_messages = 99');
        // Inside the transaction the change is visible to it, and to it only.
        expect((await summarySettings(tx)).maxMessages).toBe(99);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await summarySettings(orm.em.fork())).maxMessages).toBe(12);
  });

  it.runIf(kind === 'postgresql')("learns of another replica's change through NOTIFY, without reading on every call", async () => {
    expect((await aiIdentity(orm.em.fork())).displayName).toBe('Atrium');
    const before = statements.length;
    // Another replica: its own ORM and connections; nothing of it runs through ours.
    const other = await openOrm({ kind: 'postgresql', url: db.url! });
    try {
      await other.em.fork().execute(`update ai_identity set display_name = 'Bilge', revision = revision + 1`);
    } finally {
      await other.close(true);
    }
    await eventually(async () => (await aiIdentity(orm.em.fork())).displayName === 'Bilge');
    // One read after the notification, not one per call.
    expect(statements.length - before).toBeLessThanOrEqual(1);
  });
});
