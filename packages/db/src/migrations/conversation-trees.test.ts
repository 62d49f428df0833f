import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type Orm } from '../config';
import { createPostgresDatabase } from '../testing';

/**
 * Existing conversations were lines: the migration makes each a tree with one branch. This test
 * migrates from empty, so it runs on PostgreSQL when there is one (seconds, where a fresh PGlite
 * spends most of a minute in WASM on a busy machine), else on PGlite.
 */
describe('the conversation-trees migration', () => {
  let orm: Orm;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const postgres = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : null;
    drop = postgres?.drop;
    orm = await openOrm(postgres?.target ?? { kind: 'pglite', dataDir: 'memory://' }, { debug: false });
    await orm.migrator.up({ to: 'Migration20261123103230_ContextAndMemory' });
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('chains each message to the one before it, marks the newest as the viewed leaf and keeps the summary', async () => {
    const em = orm.em.fork();
    const run = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => em.getConnection().execute<T[]>(sql, params);
    await run(`insert into users (id, username, display_name, created_at, updated_at) values ('00000000-0000-4000-8000-000000000001', 'line', 'Line', now(), now())`);
    await run(`insert into conversations (id, user_id, title, created_at, updated_at) values
      ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-000000000001', 'A line', now(), now()),
      ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-000000000001', 'Empty', now(), now())`);
    const ids = ['a1', 'a2', 'a3', 'a4'].map((suffix) => `00000000-0000-4000-8000-0000000000${suffix}`);
    for (const [index, id] of ids.entries()) {
      await run(`insert into messages (id, conversation_id, role, content, created_at) values (?, '00000000-0000-4000-8000-0000000000c1', ?, ?, ?)`, [
        id,
        index % 2 === 0 ? 'user' : 'assistant',
        `message ${index}`,
        new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
      ]);
    }
    await run(`insert into conversation_summaries (conversation_id, summary, message_count_at_update, last_message_id, revision, updated_at)
      values ('00000000-0000-4000-8000-0000000000c1', 'So far', 4, ?, 1, now())`, [ids[1]]);

    await orm.migrator.up({ to: 'Migration20261129171500_ConversationTrees' });

    const messages = await run<{ parent_id: string | null }>(`select id, parent_id from messages order by created_at`);
    expect(messages.map((row: { parent_id: string | null }) => row.parent_id)).toEqual([null, ids[0], ids[1], ids[2]]);
    const conversations = await run(`select id, active_leaf_id from conversations order by title`);
    expect(conversations).toEqual([
      { id: '00000000-0000-4000-8000-0000000000c1', active_leaf_id: ids[3] },
      { id: '00000000-0000-4000-8000-0000000000c2', active_leaf_id: null },
    ]);
    const summaries = await run(`select id, last_message_id, summary, covered_count from conversation_summaries`);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ last_message_id: ids[1], summary: 'So far', covered_count: 2 });
    expect(summaries[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
