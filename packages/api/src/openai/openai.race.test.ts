import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createApiKey, hashPassword } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { ApiUsageDaily, seed, UsageDaily, type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverProcessArgs } from '../testing/server-processes';

async function startServerProcess(env: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, await serverProcessArgs(), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /listening (\S+)/.exec(output);
    if (match) return { url: match[1]!, process: child };
  }
  throw new Error(`server process exited before listening: ${output}`);
}

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('the OpenAI-compatible API under concurrency: two server processes, one PostgreSQL', () => {
  let stub: StubUpstream;
  let database: TestDatabase;
  let orm: Orm;
  let servers: { url: string; process: ChildProcess }[] = [];

  beforeAll(async () => {
    stub = await startStubUpstream();
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    await seed(orm.em.fork(), { hashPassword });
    const env = { DATABASE_URL: database.url, DEMO_LLM_BASE_URL: stub.url, LDAP_URL: '', NODE_ENV: 'test' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) {
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
    }
    await database?.close();
    await stub?.close();
  });

  it('admits exactly 1 of 50 parallel completions when 1 request is left today', async () => {
    const em = orm.em.fork();
    const { user } = await makeLocalUser(em, { role: 'staff' });
    user.limits = { demo: { dailyRequestLimit: 1 } };
    await em.flush();
    const { key, apiKey } = await createApiKey(em, user, { name: 'Race', expiresAt: null }, () => new Date());
    const clients = servers.map((server) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 }));
    stub.script(...Array.from({ length: 50 }, () => ({ text: 'A short answer.', chunkDelayMs: 5 })));

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        try {
          const stream = await clients[i % 2]!.chat.completions.create({
            model: 'demo',
            messages: [{ role: 'user', content: `Question number ${i}, please answer.` }],
            stream: i % 4 < 2,
          });
          if (Symbol.asyncIterator in stream) for await (const _chunk of stream);
          return 'answered';
        } catch (error) {
          return error instanceof OpenAI.RateLimitError ? 'refused' : String(error);
        }
      }),
    );
    expect(outcomes.filter((outcome) => outcome === 'answered')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'refused')).toHaveLength(49);
    await stub.settled();
    expect(stub.requests).toHaveLength(1);
    const fork = orm.em.fork();
    expect((await fork.find(UsageDaily, { user: user.id })).map((row) => row.requests)).toEqual([1]);
    expect((await fork.find(ApiUsageDaily, { apiKey: apiKey.id })).map((row) => row.requests)).toEqual([1]);
  }, 120_000);
});
