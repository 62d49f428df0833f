import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { gzipSync } from 'node:zlib';
import { makeTestCertificates } from '@atrium/testing/tls';
import { afterEach, describe, expect, it } from 'vitest';
import { upstreamFetch } from './upstream-fetch';

let server: Server | null = null;

async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    handle(req, res, body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = null;
});

describe('upstreamFetch', () => {
  it('sends the method, headers and body, and answers with the status, headers and streamed body', async () => {
    let release!: () => void;
    const url = await serve((req, res, body) => {
      res.writeHead(201, 'Made', {
        'content-type': 'text/event-stream',
        'x-seen': `${req.method} ${req.headers.authorization} ${body}`,
      });
      res.write('data: first\n\n');
      release = () => res.end('data: last\n\n');
    });
    const response = await upstreamFetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"q":1}',
    });
    expect([response.status, response.statusText, response.ok]).toEqual([201, 'Made', true]);
    expect(response.headers.get('x-seen')).toBe('POST Bearer k {"q":1}');
    const reader = response.body!.getReader();
    // The first event arrives while the server still holds the rest: nothing waits for the end.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    release();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: last\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('fails as fetch fails when nothing listens, so the SDK classifies it as a connection error', async () => {
    const url = await serve(() => {});
    server!.close();
    server = null;
    const failure = await upstreamFetch(`${url}/v1`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('stops at the abort signal, before the answer and in the middle of its body', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/slow') return;
      res.writeHead(200);
      res.write('data: first\n\n');
    });
    const early = new AbortController();
    const waiting = upstreamFetch(`${url}/slow`, { signal: early.signal });
    early.abort(new DOMException('stopped', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError', message: 'stopped' });

    const late = new AbortController();
    const response = await upstreamFetch(`${url}/stream`, { signal: late.signal });
    const reader = response.body!.getReader();
    await reader.read();
    late.abort(new DOMException('stopped later', 'AbortError'));
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError', message: 'stopped later' });

    const already = AbortSignal.abort(new DOMException('never sent', 'AbortError'));
    await expect(upstreamFetch(`${url}/stream`, { signal: already })).rejects.toMatchObject({ message: 'never sent' });
  });

  it('decodes a compressed body and follows a redirect as fetch does', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/moved') return res.writeHead(307, { location: '/gzip' }).end();
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"answer":42}'));
    });
    expect(await (await upstreamFetch(`${url}/gzip`)).json()).toEqual({ answer: 42 });
    const moved = await upstreamFetch(`${url}/moved`, { method: 'POST', body: '{}' });
    expect([moved.status, await moved.json()]).toEqual([200, { answer: 42 }]);
  });

  it('answers a status without a body with none', async () => {
    const url = await serve((_req, res) => res.writeHead(204).end());
    const response = await upstreamFetch(url, { method: 'DELETE' });
    expect([response.status, response.body, await response.text()]).toEqual([204, null, '']);
  });

  it('answers an error status with its body, as the SDK reads an API error', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"error":"slow down"}'),
    );
    const response = await upstreamFetch(url, { method: 'POST', body: '{}' });
    expect([response.status, response.headers.get('retry-after'), await response.text()]).toEqual([
      429,
      '7',
      '{"error":"slow down"}',
    ]);
  });

  it('speaks TLS to a provider and checks its certificate: an unknown issuer fails as fetch fails', async () => {
    const certificates = await makeTestCertificates();
    const defaultCAs = tls.getCACertificates('default');
    const provider = https.createServer(
      { cert: await readFile(certificates.certFile), key: await readFile(certificates.keyFile) },
      (_req, res) => res.end('{"ok":true}'),
    );
    provider.listen(0, '127.0.0.1');
    await once(provider, 'listening');
    const url = `https://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
    try {
      const refused = await upstreamFetch(url, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TypeError);
      expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toMatch(/CERT|SIGNATURE|ISSUER/);
      // As NODE_EXTRA_CA_CERTS makes a deployment's own CA trusted for every TLS connection.
      tls.setDefaultCACertificates([...defaultCAs, String(certificates.ca)]);
      expect(await (await upstreamFetch(url, { method: 'POST', body: '{}' })).json()).toEqual({ ok: true });
    } finally {
      tls.setDefaultCACertificates(defaultCAs);
      provider.closeAllConnections();
      provider.close();
      await certificates.remove();
    }
  });

  it("keeps a provider's connection open past the 5 s after which Node's own agents close theirs", async () => {
    const connections: Socket[] = [];
    const url = await serve((_req, res) => res.end('{"ok":true}'));
    server!.keepAliveTimeout = 60_000;
    server!.on('connection', (socket: Socket) => connections.push(socket));
    await (await upstreamFetch(url, { method: 'POST', body: '{}' })).json();
    // A student reading the answer before asking again.
    await sleep(5_500);
    expect(await (await upstreamFetch(url, { method: 'POST', body: '{}' })).json()).toEqual({ ok: true });
    expect(connections).toHaveLength(1);
  });

  it('sends the request again on a new connection when the provider closed the kept one as it went out', async () => {
    // A provider that answers once per connection with keep-alive, then closes that connection
    // when the next request arrives on it, without answering (its idle timeout struck).
    const requests: string[] = [];
    const provider = createTcpServer((socket) => {
      let served = false;
      socket.on('data', (data) => {
        requests.push(String(data).split(' ')[0]!);
        if (served) return void socket.resetAndDestroy();
        served = true;
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: keep-alive\r\n\r\n{"ok":true}');
      });
    });
    provider.listen(0, '127.0.0.1');
    await once(provider, 'listening');
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1/chat/completions`;
    try {
      expect(await (await upstreamFetch(url, { method: 'POST', body: '{"n":1}' })).json()).toEqual({ ok: true });
      expect(await (await upstreamFetch(url, { method: 'POST', body: '{"n":2}' })).json()).toEqual({ ok: true });
      // The second request: refused on the kept connection, then answered on a new one.
      expect(requests).toEqual(['POST', 'POST', 'POST']);
      // A connection that fails again is the error fetch gives, not a second retry.
      provider.removeAllListeners('connection');
      provider.on('connection', (socket: Socket) => socket.on('data', () => socket.resetAndDestroy()));
      const refused = await upstreamFetch(url, { method: 'POST', body: '{"n":3}' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TypeError);
      expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    } finally {
      provider.close();
    }
  });
});
