import { createInvite } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { Session, User } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing';

type Server = Awaited<ReturnType<typeof startTestApiServer>>;

const post = (server: Server, path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: input }),
  });

describe('login CSRF and request limits, over HTTP', () => {
  let server: Server;
  let credentials: { username: string; password: string };
  beforeAll(async () => {
    server = await startTestApiServer();
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork());
    credentials = { username: user.username, password };
  });
  afterAll(() => server?.close());

  const sessionsOf = (username: string) => server.runtime.orm.em.fork().count(Session, { user: { username } });

  it('refuses a sign-in posted by a foreign site, with no cookie set and no session made', async () => {
    const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of foreign) {
      const response = await post(server, 'auth.signIn', credentials, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect((await response.json()).error.json.data.code).toBe('FORBIDDEN');
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(await sessionsOf(credentials.username)).toBe(0);

    // Our own page, and a script without a browser's Origin, still sign in.
    expect((await post(server, 'auth.signIn', credentials, { origin: server.url })).status).toBe(200);
    expect((await post(server, 'auth.signIn', credentials)).status).toBe(200);
    expect(await sessionsOf(credentials.username)).toBe(2);
  });

  it('refuses a registration posted by a foreign site, and the invite stays unused', async () => {
    const em = server.runtime.orm.em.fork();
    const { user: admin } = await makeLocalUser(em, { role: 'admin' });
    const invite = await createInvite(em, admin, { role: 'student' });
    const input = { code: invite.code, username: 'csrf.victim', displayName: 'Victim', password: 'a good long password' };
    const response = await post(server, 'auth.register', input, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await server.runtime.orm.em.fork().count(User, { username: 'csrf.victim' })).toBe(0);
    expect((await post(server, 'auth.register', input, { origin: server.url })).status).toBe(200);
  });

  it('refuses a batch larger than the cap before running any of it', async () => {
    const { maxBatchSize } = server.runtime.requestLimits;
    const batch = (size: number) => {
      const paths = Array.from({ length: size }, () => 'health.check').join(',');
      const inputs = Object.fromEntries(Array.from({ length: size }, (_, i) => [i, { json: null }]));
      return fetch(`${server.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
    };
    const tooMany = await batch(300);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain('BAD_REQUEST');
    expect((await batch(maxBatchSize)).status).toBe(200);
  });

  it('refuses a body over the cap with 413, by its declared length and when sent without one', async () => {
    const { maxBodyBytes } = server.runtime.requestLimits;
    const huge = JSON.stringify({ json: { username: 'x', password: 'y'.repeat(maxBodyBytes * 10) } });
    const declared = await fetch(`${server.url}/api/trpc/auth.signIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');

    const bytes = new TextEncoder().encode(huge);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
});
