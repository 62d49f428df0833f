import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../root';
import { startTestApiServer } from '../testing';
import { listProcedures, maxLengthOf, sampleInput, withLeaf, type StringLeaf } from './input-walk';
import { NUL_MESSAGE } from './unstorable-text';

type Server = Awaited<ReturnType<typeof startTestApiServer>>;

/** Every string input of every procedure, found by walking the router (no hand-kept list). */
const attackable = listProcedures(appRouter)
  .filter((procedure) => procedure.input !== null)
  .map((procedure) => {
    const leaves: StringLeaf[] = [];
    const sample = sampleInput(procedure.input!, leaves);
    return { ...procedure, sample, leaves };
  })
  .filter((procedure) => procedure.leaves.length > 0);

const leafName = (leaf: StringLeaf) => `${leaf.path.join('.') || '(input)'}${leaf.isKey ? ' (key)' : ''}`;

async function countRows(server: Server) {
  const em = server.runtime.orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await em.execute<{ n: string }[]>(`select count(*) as n from "${table_name}"`);
    counts[table_name] = Number(row!.n);
  }
  return counts;
}

describe('bad text in any input, over HTTP', () => {
  let server: Server;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestApiServer();
    const em = server.runtime.orm.em.fork();
    // An administrator reaches every procedure, so every schema is the one that answers.
    const { user } = await makeLocalUser(em, { role: 'admin' });
    const { token } = await createSession(em, user, { type: 'active_session' });
    cookie = `atrium_session=${token}`;
  });
  afterAll(() => server?.close());

  const call = (path: string, type: string, input: unknown) => {
    const body = JSON.stringify(superjson.serialize(input));
    const headers = { 'content-type': 'application/json', cookie, origin: server.url };
    return type === 'query'
      ? fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers })
      : fetch(`${server.url}/api/trpc/${path}`, { method: 'POST', headers, body });
  };

  it('finds the procedures by walking the router, every sample accepted by its own schema', () => {
    const paths = attackable.map((procedure) => procedure.path);
    expect(paths).toEqual(expect.arrayContaining(['auth.signIn', 'auth.register', 'chat.send', 'preferences.create']));
    for (const procedure of attackable) expect(procedure.input!.safeParse(procedure.sample).success, procedure.path).toBe(true);
  });

  it('bounds the length of every string input', () => {
    const unbounded = attackable.flatMap((procedure) =>
      procedure.leaves.filter((leaf) => maxLengthOf(leaf.schema) === null).map((leaf) => `${procedure.path}: ${leafName(leaf)}`),
    );
    expect(unbounded).toEqual([]);
  });

  it('answers a NUL byte in any string input with 400 BAD_REQUEST naming the field, and writes nothing', async () => {
    const before = await countRows(server);
    const failures: string[] = [];
    for (const procedure of attackable) {
      for (const leaf of procedure.leaves) {
        const input = withLeaf(procedure.sample, leaf, (value) => `${value.slice(0, 2)}\u0000${value.slice(2)}`);
        const response = await call(procedure.path, procedure.type, input);
        const body = (await response.json()) as { error?: { json: { message: string; data: { code: string; zodError: unknown } } } };
        const error = body.error?.json;
        if (response.status !== 400 || error?.data.code !== 'BAD_REQUEST' || !JSON.stringify(error.data.zodError).includes(NUL_MESSAGE)) {
          failures.push(`${procedure.path} ${leafName(leaf)}: ${response.status} ${JSON.stringify(error ?? body).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await countRows(server)).toEqual(before);
  });

  it('answers an oversize value in any string input with 400 BAD_REQUEST, and writes nothing', async () => {
    const before = await countRows(server);
    const failures: string[] = [];
    for (const procedure of attackable) {
      for (const leaf of procedure.leaves) {
        const max = maxLengthOf(leaf.schema)!;
        const input = withLeaf(procedure.sample, leaf, (value) => value.padEnd(max + 1, 'ç'));
        const response = await call(procedure.path, procedure.type, input);
        const body = (await response.json()) as { error?: { json: { data: { code: string; zodError: unknown } } } };
        if (response.status !== 400 || body.error?.json.data.code !== 'BAD_REQUEST' || !body.error.json.data.zodError) {
          failures.push(`${procedure.path} ${leafName(leaf)}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await countRows(server)).toEqual(before);
  });

  it('refuses a NUL byte in chat content inside the stream with BAD_REQUEST, not a 500', async () => {
    const input = { 0: superjson.serialize({ content: 'Hello\u0000 there' }) };
    const response = await fetch(`${server.url}/api/trpc/chat.send?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', cookie, origin: server.url },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    expect(text).toContain('BAD_REQUEST');
    expect(text).toContain(NUL_MESSAGE);
    expect(text).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('answers analytics periods outside any sane range with 400, and a sane one with data', async () => {
    for (const [from, to] of [
      ['0000-01-01', '9999-12-31'],
      ['1999-12-31', '2026-01-01'],
      ['2001-01-01', '2026-01-01'],
      ['2026-02-01', '2026-01-01'],
    ]) {
      for (const path of ['usage.admin.analytics', 'usage.admin.csv']) {
        const response = await call(path, 'query', { from, to, groupBy: 'day' });
        expect(response.status, `${path} ${from}..${to}`).toBe(400);
        expect((await response.json()).error.json.data.zodError.fieldErrors.from).toBeDefined();
      }
      expect((await call('cache.stats', 'query', { from, to })).status).toBe(400);
    }
    expect((await call('usage.admin.analytics', 'query', { from: '2026-01-01', to: '2026-12-31', groupBy: 'day' })).status).toBe(200);
  });
});
