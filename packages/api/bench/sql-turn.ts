/**
 * Lists, statement by statement, the SQL one chat turn sends: a new conversation, then a turn in
 * the existing one, as the web app sends them (bench/web-send.ts), then the same for more students
 * (so nothing is a first-use load): one with a style of their own, one with a global preset, one
 * without a style. Each without its after-work jobs (title, cache, summary), which are drained
 * and listed apart.
 * Then the same for the OpenAI-compatible `/v1` with a personal API key (its second use: the
 * key's first check is its first-use load), as `GET /v1/models` and a `POST /v1/chat/completions`.
 * `tsx bench/sql-turn.ts` (PGlite), or with BENCH_DATABASE=postgresql and TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import { startBenchChild } from './children';
import { askAsStudent, type BenchStudents, type BenchStyles } from './web-send';

const database = process.env.BENCH_DATABASE === 'postgresql' ? 'postgresql' : 'pglite';
let target: DatabaseTarget;
let cleanup: () => Promise<void>;
if (database === 'postgresql') {
  const pg = await createPostgresDatabase();
  target = { kind: 'postgresql', url: pg.url };
  cleanup = pg.drop;
} else {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-sql-turn-'));
  target = { kind: 'pglite', dataDir: join(dir, 'db') };
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

const stub = await startBenchChild('stub.process.ts', {});
const server = await startBenchChild('server.process.ts', { NODE_ENV: 'production', BENCH_TARGET: JSON.stringify(target), DEMO_LLM_BASE_URL: stub.url });
await stub.call({ type: 'reply', reply: { text: ['Four ', 'is ', 'the ', 'answer.'] } });


const print = (title: string, statements: string[]) => {
  const begins = statements.filter((sql) => sql === 'begin').length;
  console.log(`\n== ${title}: ${statements.length} statements, ${begins} transactions`);
  statements.forEach((sql, i) => console.log(`${String(i + 1).padStart(2)}. ${sql.replace(/\s+/g, ' ').slice(0, 400)}`));
};

const rounds: [number, BenchStyles, string][] = [
  [1, 'own', 'first-use loads'],
  [2, 'own', 'their own style'],
  [3, 'global', 'a global preset'],
  [4, 'none', 'no style'],
];
for (const [round, styles, style] of rounds) {
  const { tokens, presets } = await server.call<BenchStudents>({ type: 'users', count: 1, prefix: `trace${round}`, styles });
  const token = tokens[0]!;
  const presetId = presets[0]!;
  await server.call({ type: 'drain' });
  await server.call({ type: 'trace', on: true });
  const conversation = await askAsStudent(server.url, token, null, presetId);
  const fresh = await server.call<{ statements: string[] }>({ type: 'trace', on: true });
  await server.call({ type: 'drain' });
  const freshAfter = await server.call<{ statements: string[] }>({ type: 'trace', on: true });
  await askAsStudent(server.url, token, conversation, presetId);
  const existing = await server.call<{ statements: string[] }>({ type: 'trace', on: true });
  await server.call({ type: 'drain' });
  const existingAfter = await server.call<{ statements: string[] }>({ type: 'trace', on: false });
  if (round === 1 && !process.env.SQL_TURN_ALL) continue;
  print(`new conversation (${database}, student ${round}, ${style})`, fresh.statements);
  print(`  its after-work jobs`, freshAfter.statements);
  print(`existing conversation (${database}, student ${round}, ${style})`, existing.statements);
  print(`  its after-work jobs`, existingAfter.statements);
}
const [apiKey] = (await server.call<{ keys: string[] }>({ type: 'apiKeys', count: 1, prefix: 'trace-api' })).keys;
const v1 = async (path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : null,
  });
  if (!response.ok) throw new Error(`/v1${path}: ${response.status} ${await response.text()}`);
  await response.text();
};
let serial = 0;
const completion = () => v1('/chat/completions', { model: 'demo', messages: [{ role: 'user', content: `Question ${++serial}: what is ${serial} squared?` }] });
await v1('/models');
await completion();
await server.call({ type: 'drain' });
await server.call({ type: 'trace', on: true });
await v1('/models');
const models = await server.call<{ statements: string[] }>({ type: 'trace', on: true });
await completion();
const completed = await server.call<{ statements: string[] }>({ type: 'trace', on: true });
await server.call({ type: 'drain' });
const completedAfter = await server.call<{ statements: string[] }>({ type: 'trace', on: false });
print(`GET /v1/models (${database}, a key's second use)`, models.statements);
print(`POST /v1/chat/completions (${database}, a key's third use)`, completed.statements);
print(`  its after-work jobs`, completedAfter.statements);

await server.close();
await stub.close();
await cleanup();
process.exit(0);
