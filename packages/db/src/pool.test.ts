import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { directSql } from './bound-sql';
import { connectionPoolStats, openOrm } from './config';
import { readDbEnv } from './env';
import { createPostgresDatabase } from './testing';

describe('the pool sizes', () => {
  it('default to 2 kept open and 10 at most, and refuse a minimum above the maximum', () => {
    expect(readDbEnv({})).toMatchObject({ DATABASE_POOL_MIN: 2, DATABASE_POOL_MAX: 10 });
    expect(readDbEnv({ DATABASE_POOL_MIN: '0', DATABASE_POOL_MAX: '40' })).toMatchObject({ DATABASE_POOL_MIN: 0, DATABASE_POOL_MAX: 40 });
    expect(() => readDbEnv({ DATABASE_POOL_MIN: '12', DATABASE_POOL_MAX: '10' })).toThrow(/DATABASE_POOL_MIN must not be larger than DATABASE_POOL_MAX/);
    expect(() => readDbEnv({ DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the PostgreSQL pool', () => {
  it('keeps its last connections open through a quiet moment, with the statements they prepared', async () => {
    const { target, drop } = await createPostgresDatabase();
    // The default sizes; the idle time shortened from 10 s, so the quiet moment is short.
    const orm = await openOrm(target, { pool: { idleTimeoutMillis: 40 } });
    try {
      const sql = directSql(orm.em.fork());
      const backend = 'select pg_backend_pid() as pid from pg_sleep(0.05)';
      // Three statements at once: three connections, each preparing the statement.
      const busy = await Promise.all([1, 2, 3].map(() => sql.execute<{ pid: number }>(backend)));
      const opened = busy.map(([row]) => row!.pid);
      expect(new Set(opened).size).toBe(3);

      await sleep(400);
      expect(await connectionPoolStats(orm)).toMatchObject({ total: 2, idle: 2 });

      // The next statement runs on a connection opened before the pause, where it is still prepared.
      const [after] = await sql.execute<{ pid: number; prepared: boolean }>(
        `select pg_backend_pid() as pid, exists (select from pg_prepared_statements where statement = $1) as prepared`,
        [backend],
      );
      expect(opened).toContain(after!.pid);
      expect(after!.prepared).toBe(true);
    } finally {
      await orm.close(true);
      await drop();
    }
  });
});
