import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type Orm } from '../config';
import { createPostgresDatabase } from '../testing';

/**
 * The identity was one text per field: the migration keeps the admin's words as the English text
 * and gives Turkish its default where the English was still the default. Migrates from empty, so it
 * runs on PostgreSQL when there is one (as the conversation-trees test does).
 */
describe('the localized-identity migration', () => {
  let orm: Orm;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const postgres = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : null;
    drop = postgres?.drop;
    orm = await openOrm(postgres?.target ?? { kind: 'pglite', dataDir: 'memory://' }, { debug: false });
    await orm.migrator.up({ to: 'Migration20261129195908_UnlockKeys' });
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it("keeps an admin's identity as the English text and writes Turkish defaults where English was the default", async () => {
    const run = <T = Record<string, unknown>>(sql: string) => orm.em.fork().getConnection().execute<T[]>(sql);
    await run(`insert into ai_identity (id, display_name, developer_name, product_family, short_intro, updated_at) values (1, 'Bilge', 'Example University IT', 'Campus AI', 'I am an AI assistant for students and staff.', now())`);

    await orm.migrator.up({ to: 'Migration20261129225500_LocalizedIdentity' });

    expect(await run(`select display_name, developer_name, short_intro from ai_identity`)).toEqual([
      {
        display_name: 'Bilge',
        developer_name: { en: 'Example University IT', tr: 'Example University IT' },
        short_intro: { en: 'I am an AI assistant for students and staff.', tr: 'Öğrenciler ve çalışanlar için bir yapay zekâ asistanıyım.' },
      },
    ]);
  });
});
