import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { THROTTLE_POLICY } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { type Orm } from '@atrium/db';
import { createTestDatabase, type TestDatabase } from '@atrium/db/testing';
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

const signIn = (url: string, username: string, password: string) =>
  fetch(`${url}/api/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ json: { username, password } }),
  });

// Several processes against one database is a PostgreSQL deployment; PGlite is single-process.
describe.runIf(process.env.TEST_DATABASE_URL)('sign-in throttle under a race: two server processes, one PostgreSQL', () => {
  let database: TestDatabase;
  let orm: Orm;
  let servers: { url: string; process: ChildProcess }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    orm = database.orm;
    const env = { DATABASE_URL: database.url, LDAP_URL: '', NODE_ENV: 'test' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) {
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
    }
    await database?.close();
  });

  it('checks exactly the allowed number of 25 parallel wrong passwords; the rest are refused unchecked', async () => {
    const { user, password } = await makeLocalUser(orm.em.fork());
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signIn(servers[i % 2]!.url, user.username, `wrong guess ${i}`)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(THROTTLE_POLICY.maxFailuresPerUsername);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25 - THROTTLE_POLICY.maxFailuresPerUsername);
    const refused = await responses.find((response) => response.status === 429)!.json();
    expect(refused.error.json.data.limit).toMatchObject({ limit: 'signIn' });

    // The right password is refused too until the window passes: the account is locked, not guessed.
    expect((await signIn(servers[0]!.url, user.username, password)).status).toBe(429);
    const [row] = await orm.em.fork().execute<{ failures: number }[]>('select failures from login_throttles where key = ?', [`user:${user.username}`]);
    expect(row!.failures).toBe(THROTTLE_POLICY.maxFailuresPerUsername);
  });
});
