/**
 * `npm run profile:chat`: where a chat turn's server CPU goes. Starts the benchmark's API
 * server (bench/server.process.ts) under `--cpu-prof`, runs TURNS turns through it (distinct
 * students, each a first message and a follow-up), then prints self time by package: ours
 * (`@atrium/*`), each library in node_modules, Node's own internals, and garbage collection.
 * PGlite unless TEST_DATABASE_URL is set. TURNS defaults to 200.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '@atrium/db/testing';
import { createTRPCClient, httpBatchStreamLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../src/root';

const TURNS = Number(process.env.TURNS ?? process.argv[2] ?? 200);
const here = fileURLToPath(new URL('.', import.meta.url));
const profileDir = mkdtempSync(join(tmpdir(), 'atrium-profile-'));
const dataDir = mkdtempSync(join(tmpdir(), 'atrium-profile-db-'));
const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : null;

function start(script: string, execArgv: string[], env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = fork(join(here, script), [], { execArgv: ['--import', 'tsx', ...execArgv], env: { ...inherited, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let id = 0;
  const waiting = new Map<number, (value: Record<string, unknown>) => void>();
  return new Promise<{ child: ChildProcess; url: string; call(message: Record<string, unknown>): Promise<Record<string, unknown>> }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string; id?: number }) => {
      if (message.ready) resolve({ child, url: message.url!, call: (body) => new Promise((done) => (waiting.set(++id, done), child.send({ ...body, id }))) });
      else waiting.get(message.id!)?.(message as Record<string, unknown>);
    });
  });
}

const stub = await start('stub.process.ts', [], {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 20, chunkDelayMs: 2 } });
const server = await start('server.process.ts', ['--cpu-prof', '--cpu-prof-dir', profileDir], {
  NODE_ENV: 'production',
  BENCH_TARGET: JSON.stringify(pg ? pg.target : { kind: 'pglite', dataDir }),
  DEMO_LLM_BASE_URL: stub.url,
});
const { tokens } = (await server.call({ type: 'users', count: Math.ceil(TURNS / 2), prefix: 'profile' })) as { tokens: string[] };
let turns = 0;
for (const token of tokens) {
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchStreamLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });
  let conversationId: string | null = null;
  for (let i = 0; i < 2 && turns < TURNS; i++, turns++) {
    for await (const event of await client.chat.send.mutate({ conversationId, content: `Question ${turns}: what is ${turns} squared?`, modelId: 'demo' })) {
      if (event.type === 'started') conversationId = event.conversation.id;
    }
    await server.call({ type: 'drain' });
  }
}
const exited = new Promise((resolve) => server.child.once('exit', resolve));
server.child.removeAllListeners('exit');
server.child.send({ type: 'close', id: 0 });
await exited;
stub.child.removeAllListeners('exit');
stub.child.send({ type: 'close', id: 0 });

type Node = { id: number; callFrame: { url: string; functionName: string }; hitCount?: number };
const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const where = packageOf(byNode.get(id)!);
  selfMicros.set(where, (selfMicros.get(where) ?? 0) + (profile.timeDeltas[index] ?? 0));
});

function packageOf(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(idle)' || functionName === '(program)' ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = /\/packages\/([^/]+)\//.exec(url);
  return ours ? `@atrium/${ours[1]}` : url;
}

const busy = [...selfMicros].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]);
const total = busy.reduce((sum, [, micros]) => sum + micros, 0);
console.log(`Server CPU over ${turns} turns (${pg ? 'PostgreSQL' : 'PGlite'}): ${(total / 1000).toFixed(0)} ms, ${(total / 1000 / turns).toFixed(2)} ms per turn (set-up and shutdown included)`);
console.log('self time by package:');
for (const [name, micros] of busy.slice(0, 25)) {
  console.log(`  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000 / turns).toFixed(3).padStart(8)} ms/turn  ${name}`);
}
rmSync(profileDir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });
await pg?.drop();
process.exit(0);
