import { makeLocalUser } from '@atrium/auth/testing';
import { startTestApiServer } from '@atrium/api/testing';
import type { AppRouter } from '@atrium/api';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAtriumClient } from './index';

describe('createAtriumClient', () => {
  let server: Awaited<ReturnType<typeof startTestApiServer>>;
  beforeAll(async () => {
    server = await startTestApiServer();
  });
  afterAll(() => server?.close());

  it('signs in, then acts with the session token as a bearer token, fully typed', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { role: 'admin' });
    const anonymous = createAtriumClient({ url: server.url });
    expect((await anonymous.health.check.query()).status).toBe('ok');
    const { token } = await anonymous.auth.signIn.mutate({ username: user.username, password });

    const tool = createAtriumClient({ url: server.url, token });
    const me = await tool.auth.me.query();
    expect(me?.username).toBe(user.username);
    const invite = await tool.invites.create.mutate({ role: 'staff' });
    expect(invite.status).toBe('open');
    // superjson keeps dates as dates end to end.
    expect(invite.createdAt).toBeInstanceOf(Date);
  });

  it('gets UNAUTHORIZED with a made-up token', async () => {
    const client = createAtriumClient({ url: server.url, token: 'a'.repeat(32) });
    const error = await client.sessions.list.query().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });

  it('acts with a personal API key as its owner, and stops when the key is revoked', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { role: 'staff' });
    const { token } = await createAtriumClient({ url: server.url }).auth.signIn.mutate({ username: user.username, password });
    const { key, apiKey } = await createAtriumClient({ url: server.url, token }).apiKeys.create.mutate({ name: 'Nightly report' });

    const script = createAtriumClient({ url: server.url, token: key });
    expect((await script.auth.me.query())?.username).toBe(user.username);
    const mine = await script.apiKeys.mine.query();
    expect(mine.keys).toEqual([expect.objectContaining({ id: apiKey.id, name: 'Nightly report', lastUsedIp: expect.stringMatching(/127\.0\.0\.1/) })]);
    // A key is its owner, never more: it cannot mint further keys or reach admin procedures.
    const minted = await script.apiKeys.create.mutate({ name: 'Another' }).catch((caught: unknown) => caught);
    expect((minted as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
    const adminOnly = await script.users.search.query({ query: 'a' }).catch((caught: unknown) => caught);
    expect((adminOnly as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');

    await script.apiKeys.revoke.mutate({ id: apiKey.id });
    const refused = await script.auth.me.query();
    expect(refused).toBeNull();
    const error = await script.usage.mine.query().catch((caught: unknown) => caught);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });
});


describe('a chat turn through the client', () => {
  let server: Awaited<ReturnType<typeof startTestApiServer>>;
  let stub: StubUpstream;
  beforeAll(async () => {
    // The seeded demo model, answered by the repo's OpenAI-compatible stub.
    stub = await startStubUpstream();
    server = await startTestApiServer({ seed: true, workJobs: false, config: { providers: { demo: { baseURL: stub.url } } } });
  });
  afterAll(async () => {
    await server?.close();
    await stub?.close();
  });

  it('is sent at once, not after a timer, and streams its answer to the end', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { role: 'student' });
    const { token } = await createAtriumClient({ url: server.url }).auth.signIn.mutate({ username: user.username, password });
    const sent: string[] = [];
    const client = createAtriumClient({
      url: server.url,
      token,
      fetch: (input, init) => {
        sent.push(String(input));
        return fetch(input, init);
      },
    });

    const answer = client.chat.send.mutate({ conversationId: null, content: 'What is a monad?', attachmentIds: [] });
    // Only promise jobs have run since the call: a batch link would still be waiting for its timer.
    await Promise.resolve();
    expect(sent).toEqual([`${server.url}/api/trpc/chat.send?batch=1`]);

    const events: string[] = [];
    let text = '';
    for await (const event of await answer) {
      events.push(event.type);
      if (event.type === 'delta') text += event.text;
    }
    expect(events[0]).toBe('started');
    expect(events.at(-1)).toBe('finished');
    expect(text.length).toBeGreaterThan(0);
  });

  it('gets the refusal as a TRPCClientError a caller can act on', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { role: 'student' });
    const { token } = await createAtriumClient({ url: server.url }).auth.signIn.mutate({ username: user.username, password });
    const client = createAtriumClient({ url: server.url, token });
    // A streamed call's error comes as its stream is read, as with tRPC's own stream link.
    const read = async () => {
      for await (const _ of await client.chat.send.mutate({ conversationId: '00000000-0000-4000-8000-000000000000', content: 'Hello?', attachmentIds: [] }));
    };
    const error = await read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
  });

  it('stops reading when the caller aborts', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { role: 'student' });
    const { token } = await createAtriumClient({ url: server.url }).auth.signIn.mutate({ username: user.username, password });
    const client = createAtriumClient({ url: server.url, token });
    const controller = new AbortController();
    controller.abort();
    const error = await client.chat.send
      .mutate({ conversationId: null, content: 'Never mind.', attachmentIds: [] }, { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
  });
});

describe('a chat turn refused by something in front of the server', () => {
  it("gets a TRPCClientError naming the status, whatever the proxy's error page says", async () => {
    // A proxy whose upstream is down: an HTML page, then a JSON body that is not tRPC's.
    const bodies = [
      { type: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' },
      { type: 'application/json', body: '{"message":"no healthy upstream"}' },
    ];
    let served = 0;
    const proxy = createServer((_req, res) => {
      const { type, body } = bodies[served++ % bodies.length]!;
      res.writeHead(502, { 'content-type': type }).end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = createAtriumClient({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: 'any' });
      for (let i = 0; i < bodies.length; i++) {
        const error = await client.chat.send.mutate({ conversationId: null, content: 'Hello?', attachmentIds: [] }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TRPCClientError);
        expect((error as Error).message).toBe('The server answered 502 Bad Gateway');
      }
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
