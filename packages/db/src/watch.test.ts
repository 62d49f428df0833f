import { describe, expect, it } from 'vitest';
import { observeStatement, TableWatch, type RowKey } from './watch';

const session = 'a'.repeat(64);
const user = '0b0e3c2a-6f1d-4a57-9a8e-2f7c1d0e9b11';

/** The row keys (and watched tables) one statement this process sends drops. */
function dropped(sql: string, params: unknown[] = []) {
  const watch = new TableWatch();
  const rows: RowKey[] = [];
  const tables: string[] = [];
  watch.subscribeRows((key) => rows.push(key));
  watch.subscribe((table) => tables.push(table));
  observeStatement(watch, sql, params);
  return { rows, tables };
}

describe("this process's own writes to sessions, API keys and users", () => {
  it('drops the session a statement names, by parameter or by literal', () => {
    expect(dropped('delete from "sessions" where "id" = ?', [session]).rows).toEqual([`s:${session}`]);
    expect(dropped(`delete from sessions where id = '${session}'`).rows).toEqual([`s:${session}`]);
  });

  it("drops every session of a user a statement names (a user's change, or their sessions ended)", () => {
    expect(dropped('update "users" set "role" = ?, "updated_at" = ? where "id" = ?', ['staff', new Date(), user.toUpperCase()]).rows).toEqual([`u:${user}`]);
    expect(dropped('delete from "sessions" where "user_id" = ? and "id" != ?', [user, session]).rows).toEqual(expect.arrayContaining([`u:${user}`]));
    expect(dropped('delete from "users" where "id" in (?)', [[user]]).rows).toEqual([`u:${user}`]);
  });

  it('drops everything for a write that names no row, and for a truncate', () => {
    expect(dropped('delete from "sessions" where "expires_at" <= ?', [new Date()]).rows).toEqual(['all']);
    expect(dropped('update users set is_banned = false where is_banned and banned_until <= ? returning id', [new Date()]).rows).toEqual(['all']);
    expect(dropped('truncate table "users" cascade').rows).toEqual(['all']);
  });

  it("ignores plain inserts, reads, other tables and the validator's own touch", () => {
    expect(dropped('insert into "sessions" ("id", "user_id") values (?, ?)', [session, user]).rows).toEqual([]);
    expect(dropped('select * from sessions where id = ?', [session]).rows).toEqual([]);
    expect(dropped('update "user_preferences" set "value" = ? where "user_id" = ?', ['x', user]).rows).toEqual([]);
    expect(dropped('update sessions set last_seen_at = ? where id = ?', [new Date(), session]).rows).toEqual([]);
    expect(dropped('update sessions set expires_at = ?, last_seen_at = ? where id = ?', [new Date(), new Date(), session]).rows).toEqual([]);
    // An upsert may change an existing row.
    expect(dropped('insert into "users" ("id") values (?) on conflict ("id") do update set "role" = excluded."role"', [user]).rows).toEqual([`u:${user}`]);
  });

  it('drops the API key a statement names and, not knowing which uuid is which, its owner too', () => {
    const key = '5f0c9a1e-2b3d-4c5e-8f70-1a2b3c4d5e6f';
    expect(dropped('update "api_keys" set "revoked_at" = ? where "id" = ? and "revoked_at" is null and "user_id" = ?', [new Date(), key, user]).rows).toEqual([
      `k:${key}`,
      `u:${key}`,
      `k:${user}`,
      `u:${user}`,
    ]);
    expect(dropped('delete from "api_keys" where "expires_at" <= ?', [new Date()]).rows).toEqual(['all']);
    expect(dropped('insert into "api_keys" ("id", "user_id") values (?, ?)', [key, user]).rows).toEqual([]);
    // The validator's own "last used": it updates its copy itself.
    expect(dropped('update api_keys set last_used_at = ?, last_used_ip = ? where id = ?', [new Date(), '192.0.2.7', key]).rows).toEqual([]);
    expect(dropped('update "api_settings" set "key_roles" = ? where "id" = ?', ['[]', 1]).tables).toEqual(['api_settings']);
  });

  it('reaches the row listeners when everything is dropped (the LISTEN connection came or went)', () => {
    const watch = new TableWatch();
    const rows: RowKey[] = [];
    watch.subscribeRows((key) => rows.push(key));
    watch.changed('models');
    watch.changed('all');
    expect(rows).toEqual(['all']);
  });
});
