import { request as httpRequest } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { makeLocalUser } from '@atrium/auth/testing';
import { Session } from '@atrium/db';
import { initTRPC, TRPCError } from '@trpc/server';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApiServer } from '../testing';
import { createTrpcHandler } from './trpc-adapter';

type Server = Awaited<ReturnType<typeof startTestApiServer>>;

const chunkedBody = (pieces: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });

/** A raw request, for what fetch will not send (a Host of our choosing). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tRPC over HTTP on the real stack: cookies, body limits, refusals', () => {
  let server: Server;
  let credentials: { username: string; password: string };
  beforeAll(async () => {
    server = await startTestApiServer();
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork());
    credentials = { username: user.username, password };
  });
  afterAll(() => server?.close());

  const sessionsOf = (username: string) => server.runtime.orm.em.fork().count(Session, { user: { username } });
  const signIn = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  it('keeps every cookie a call sets: a stale session cleared by the context, the new one set by the procedure', async () => {
    const response = await signIn(JSON.stringify({ json: credentials }), { cookie: 'atrium_session=gone-long-ago' });
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^atrium_session=;.*Max-Age=0/);
    expect(cookies[1]).toMatch(/^atrium_session=[^;]+;.*HttpOnly/i);
  });

  it('refuses a declared body over the cap unread: 413, the error a tRPC client reads, connection closed, no session', async () => {
    const before = await sessionsOf(credentials.username);
    const { maxBodyBytes } = server.runtime.requestLimits;
    const response = await signIn(JSON.stringify({ json: { ...credentials, padding: 'y'.repeat(maxBodyBytes) } }));
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect((await response.json()).error.json).toMatchObject({ code: -32022, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } });
    expect(await sessionsOf(credentials.username)).toBe(before);
  });

  it('cuts off a body sent without a length once past the cap: 413 PAYLOAD_TOO_LARGE, no session', async () => {
    const before = await sessionsOf(credentials.username);
    const { maxBodyBytes } = server.runtime.requestLimits;
    const bytes = new TextEncoder().encode(JSON.stringify({ json: { ...credentials, padding: 'y'.repeat(maxBodyBytes * 3) } }));
    const pieces = Array.from({ length: Math.ceil(bytes.length / 16_384) }, (_, i) => bytes.subarray(i * 16_384, (i + 1) * 16_384));
    const response = await signIn(chunkedBody(pieces));
    expect(response.status).toBe(413);
    expect((await response.json()).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await sessionsOf(credentials.username)).toBe(before);
  });

  it('signs in with a body sent in pieces without a length, a character split between two pieces', async () => {
    const { user, password } = await makeLocalUser(server.runtime.orm.em.fork(), { password: 'şifre çok güzel ğ' });
    const bytes = new TextEncoder().encode(JSON.stringify({ json: { username: user.username, password } }));
    const split = bytes.indexOf(0xc4) + 1; // inside "ğ" (0xc4 0x9f)
    const response = await signIn(chunkedBody([bytes.subarray(0, split), bytes.subarray(split)]));
    expect(response.status).toBe(200);
    expect((await response.json()).result.data.json.user.username).toBe(user.username);
  });

  it('refuses a POST that is not JSON as tRPC does, and a multipart one fails the input check', async () => {
    const text = await signIn('username=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect((await text.json()).error.json.data.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const form = new FormData();
    form.set('username', credentials.username);
    form.set('password', credentials.password);
    const multipart = await fetch(`${server.url}/api/trpc/auth.signIn`, { method: 'POST', body: form });
    expect(multipart.status).toBe(400);
    expect((await multipart.json()).error.json.data.code).toBe('BAD_REQUEST');
  });

  it('answers a request whose Host makes no URL with 400 BAD_REQUEST, without a stack trace', async () => {
    const response = await rawGet(`${server.url}/api/trpc/health.check`, { host: 'not a host' });
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body);
    expect(body.error.json.data.code).toBe('BAD_REQUEST');
    expect(response.body).not.toMatch(/stack|at .*\.ts/);
  });
});

/** A router of the test's own, to watch what the adapter does with a call's signal and stream. */
function startStreamingServer() {
  const t = initTRPC.create();
  const seen = { aborted: false, streamEnded: false, produced: 0, floodEnded: false };
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const router = t.router({
    echo: t.procedure.input(z.object({ text: z.string() })).mutation(({ input }) => input.text),
    late: t.procedure.query(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'late';
    }),
    waitForLeave: t.procedure.mutation(async ({ signal }) => {
      await new Promise<void>((resolve) => signal!.addEventListener('abort', () => resolve(), { once: true }));
      seen.aborted = true;
      return 'left';
    }),
    // As a chat turn: its first value only after I/O (`startsAfterIo` below), the next one later.
    afterIo: t.procedure.query(async function* () {
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield 'first';
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield 'second';
    }),
    // A turn refused before any I/O (a stopping process takes no new turns).
    refusedAtOnce: t.procedure.query(async function* () {
      yield* [];
      throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Not taking new turns.' });
    }),
    ticks: t.procedure.query(async function* () {
      try {
        yield 'first';
        await released;
        // Endless: only a cancelled stream ends it.
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield 'tick';
        }
      } finally {
        seen.streamEnded = true;
      }
    }),
    flood: t.procedure.input(z.object({ pieces: z.number() })).query(async function* ({ input }) {
      const piece = 'x'.repeat(64 * 1024);
      seen.floodEnded = false;
      try {
        for (let i = 0; i < input.pieces; i++) {
          seen.produced = i + 1;
          yield `${i}:${piece}`;
        }
      } finally {
        seen.floodEnded = true;
      }
    }),
  });
  /** What the server wrote to each connection, a string per socket write. */
  const socketWrites: string[][] = [];
  const app = express();
  app.use((req, _res, next) => {
    const socket = req.socket as Socket & { _writev?: Socket['_writev'] };
    const writes: string[] = [];
    socketWrites.push(writes);
    socket._write = (chunk: Buffer | string, encoding, callback) => {
      writes.push(String(chunk));
      Socket.prototype._write.call(socket, chunk, encoding, callback);
    };
    socket._writev = (chunks, callback) => {
      writes.push(chunks.map(({ chunk }) => String(chunk)).join(''));
      Socket.prototype._writev!.call(socket, chunks, callback);
    };
    next();
  });
  app.use(
    '/trpc',
    createTrpcHandler({
      router,
      maxBatchSize: 10,
      maxBodyBytes: 1_000_000,
      createContext: async () => ({}),
      onError: () => {},
      startsAfterIo: new Set(['afterIo', 'refusedAtOnce']),
    }),
  );
  const listener = app.listen(0, '127.0.0.1');
  const url = () => `http://127.0.0.1:${(listener.address() as AddressInfo).port}/trpc`;
  return {
    seen,
    socketWrites,
    release: () => release(),
    url,
    listening: new Promise<void>((resolve) => listener.once('listening', resolve)),
    close: () => {
      listener.closeAllConnections();
      return new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

const streamed = (url: string, path: string, input: unknown, signal?: AbortSignal) =>
  fetch(`${url}/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`, {
    headers: { 'trpc-accept': 'application/jsonl' },
    ...(signal ? { signal } : {}),
  });

describe('the adapter writing streams and following the client', () => {
  let server: ReturnType<typeof startStreamingServer>;
  beforeAll(async () => {
    server = startStreamingServer();
    await server.listening;
  });
  afterAll(() => server?.close());

  it('reads a plain JSON body and answers it', async () => {
    const response = await fetch(`${server.url()}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello ğ' }) });
    expect(await response.json()).toEqual({ result: { data: 'hello ğ' } });
  });

  it("sends a streamed answer's head with the first result after it, in one socket write", async () => {
    const writes = server.socketWrites.length;
    const response = await streamed(server.url(), 'late', null);
    const text = await response.text();
    expect(text).toContain('"late"');
    const [first, ...rest] = server.socketWrites[writes]!;
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"0":\[\[0\],\[null,0,0\]\]\}\n[\s\S]*"late"/);
    expect(rest.join('')).not.toContain('"0":');
  });

  it("writes a turn's headers, its stream's start and its first value in one socket write, once the value is there", async () => {
    const writes = server.socketWrites.length;
    const response = await streamed(server.url(), 'afterIo', null);
    const text = await response.text();
    expect(text).toContain('"second"');
    const [first, ...rest] = server.socketWrites[writes]!;
    // The head, tRPC's placeholders for the call's result and its iterable, then the value itself.
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"0":\[\[0\],\[null,0,0\]\]\}\n[\s\S]*"result"[\s\S]*"first"/);
    expect(first).not.toContain('"second"');
    expect(rest.join('')).toContain('"second"');
  });

  it('ends a turn refused before any I/O with its error, its start first', async () => {
    const writes = server.socketWrites.length;
    const response = await streamed(server.url(), 'refusedAtOnce', null);
    const text = await response.text();
    expect(text.split('\n')[0]).toContain('"0":[[0],[null,0,0]]');
    expect(text).toContain('Not taking new turns.');
    expect(server.socketWrites[writes]!.join('')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('writes each streamed piece as it is produced, and ends the stream when the client leaves', async () => {
    const client = new AbortController();
    const response = await streamed(server.url(), 'ticks', null, client.signal);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    // What follows waits for `release`: "first" can only arrive if it was written on its own.
    while (!text.includes('first')) text += (await reader.read()).value ?? '';
    expect(text).not.toContain('tick');
    client.abort();
    server.release();
    await expect.poll(() => server.seen.streamEnded).toBe(true);
  });

  it("aborts the call's signal when the client goes away mid-call", async () => {
    const client = new AbortController();
    const call = fetch(`${server.url()}/waitForLeave`, { method: 'POST', headers: { 'content-type': 'application/json' }, signal: client.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.seen.aborted).toBe(false);
    client.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => server.seen.aborted).toBe(true);
  });

  it('waits for a slow reader instead of buffering the whole answer, and delivers all of it in order', async () => {
    const pieces = 400; // 25 MB, more than the sockets hold
    const response = await streamed(server.url(), 'flood', { pieces });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? '';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.seen.produced).toBeLessThan(pieces);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    const indexes = [...text.matchAll(/"(\d+):x/g)].map((match) => Number(match[1]));
    expect(indexes).toEqual(Array.from({ length: pieces }, (_, i) => i));
  });

  it('stops producing when a client that stopped reading goes away', async () => {
    const client = new AbortController();
    const response = await streamed(server.url(), 'flood', { pieces: 400 }, client.signal);
    const reader = response.body!.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.seen.floodEnded).toBe(false);
    client.abort();
    await expect.poll(() => server.seen.floodEnded).toBe(true);
    expect(server.seen.produced).toBeLessThan(400);
  });
});
