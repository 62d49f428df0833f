import { createInvite } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing';

type Server = Awaited<ReturnType<typeof startTestApiServer>>;

/** Raw tRPC-over-HTTP calls, so cookies and headers are exactly what a browser would send. */
const call = (server: Server, path: string, options: { input?: unknown; cookie?: string; origin?: string; mutation?: boolean } = {}) => {
  const body = JSON.stringify({ json: options.input ?? null });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  return options.mutation
    ? fetch(`${server.url}/api/trpc/${path}`, { method: 'POST', headers, body })
    : fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers });
};
const sessionCookieOf = (response: Response) => response.headers.getSetCookie().find((c) => c.startsWith('atrium_session='));

describe('the HTTP stack: cookies, CSRF and errors', () => {
  let server: Server;
  let credentials: { username: string; password: string };
  beforeAll(async () => {
    server = await startTestApiServer();
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork());
    credentials = { username: user.username, password };
  });
  afterAll(() => server?.close());

  const signIn = async (rememberMe: boolean) => {
    const response = await call(server, 'auth.signIn', { mutation: true, input: { ...credentials, rememberMe }, origin: server.url });
    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response)!;
    return { cookie, pair: cookie.split(';')[0]! };
  };

  it('sets an HttpOnly SameSite=Lax session cookie; only remember-me gives it an expiry', async () => {
    const plain = await signIn(false);
    expect(plain.cookie).toMatch(/HttpOnly/i);
    expect(plain.cookie).toMatch(/SameSite=Lax/i);
    expect(plain.cookie).not.toMatch(/Expires=/i);
    const remembered = await signIn(true);
    expect(remembered.cookie).toMatch(/Expires=/i);

    const me = await (await call(server, 'auth.me', { cookie: plain.pair })).json();
    expect(me.result.data.json.username).toBe(credentials.username);
  });

  it('refuses a cookie-authenticated mutation from a foreign origin, allows our own', async () => {
    const { pair } = await signIn(false);
    const foreign = await call(server, 'sessions.revokeOthers', { mutation: true, cookie: pair, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const ours = await call(server, 'sessions.revokeOthers', { mutation: true, cookie: pair, origin: server.url });
    expect(ours.status).toBe(200);
  });

  it('clears the cookie and answers UNAUTHORIZED once the session is gone', async () => {
    const { pair } = await signIn(false);
    await call(server, 'auth.signOut', { mutation: true, cookie: pair, origin: server.url });
    const after = await call(server, 'sessions.list', { cookie: pair });
    expect(after.status).toBe(401);
    expect(sessionCookieOf(after)).toMatch(/Max-Age=0/);
  });

  it('returns wrong-credential and validation errors a form can show, with no stack trace', async () => {
    const wrong = await call(server, 'auth.signIn', { mutation: true, input: { username: credentials.username, password: 'nope' } });
    const wrongBody = await wrong.json();
    expect(wrong.status).toBe(401);
    expect(wrongBody.error.json.message).toBe('Wrong username or password.');
    expect(JSON.stringify(wrongBody)).not.toMatch(/stack|at .*\.ts/);

    const invalid = await call(server, 'auth.register', { mutation: true, input: { code: '', username: 'x', displayName: '', password: '1' } });
    const invalidBody = await invalid.json();
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalidBody.error.json.data.zodError.fieldErrors)).toEqual(
      expect.arrayContaining(['code', 'username', 'displayName', 'password']),
    );
  });

  it('signs a new person up with an invite over HTTP and signs them in', async () => {
    const em = server.runtime.orm.em.fork();
    const { user: admin } = await makeLocalUser(em, { role: 'admin' });
    const invite = await createInvite(em, admin, { role: 'student' });
    const response = await call(server, 'auth.register', {
      mutation: true,
      origin: server.url,
      input: { code: invite.code, username: 'fresh.student', displayName: 'Fresh Student', password: 'a good long password' },
    });
    expect(response.status).toBe(200);
    const pair = sessionCookieOf(response)!.split(';')[0]!;
    const me = await (await call(server, 'auth.me', { cookie: pair })).json();
    expect(me.result.data.json).toMatchObject({ username: 'fresh.student', role: 'student' });
  });
});
