import http from 'node:http';
import https from 'node:https';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The providers' `fetch`, over Node's own HTTP client and its keep-alive agents instead of
 * undici's fetch. A turn makes one upstream call, and fetch's WHATWG layers (Request, Headers
 * validation, the fetch controller) were the largest library cost in a turn's CPU profile. What
 * the SDK sees is the same: a `Response` whose body streams as it arrives, rejections as fetch's
 * (`TypeError: fetch failed` with the network error as its cause, so the SDK classifies and
 * retries as before), the abort signal honoured before and during the body. Anything this does
 * not carry the same way (a body other than text or bytes, a redirect) goes through fetch.
 * Its agents honour `NODE_USE_ENV_PROXY` as fetch does, and keep a provider's connection open for a
 * minute (`UPSTREAM_IDLE_MS`).
 */
export const upstreamFetch: typeof fetch = (input, init) => {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : null;
  const body = init?.body;
  const plainBody = body == null || typeof body === 'string' || body instanceof Uint8Array;
  if (!url || !plainBody || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return globalThis.fetch(input, init);
  const signal = init?.signal ?? null;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<Response>((resolve, reject) => {
    /** The body being handed over, once the answer has come. */
    let answered: Readable | null = null;
    let request: http.ClientRequest;
    const send = (retried: boolean) => {
      request = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: init?.method ?? 'GET', headers: plainHeaders(init?.headers), agent: url.protocol === 'https:' ? httpsAgent : httpAgent },
        (response) => {
          const status = response.statusCode ?? 502;
          if (status >= 300 && status < 400 && response.headers.location) {
            // fetch knows how a redirect changes the request; none of the providers sends one in practice.
            signal?.removeEventListener('abort', onAbort);
            response.resume();
            resolve(globalThis.fetch(input, init));
            return;
          }
          response.once('close', () => signal?.removeEventListener('abort', onAbort));
          const headers = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
          const decoded = (answered = decoding(response));
          resolve(
            new Response(
              NULL_BODY_STATUSES.has(status) ? null : (Readable.toWeb(decoded) as ReadableStream<Uint8Array>),
              {
                status,
                statusText: response.statusMessage ?? '',
                headers,
              },
            ),
          );
        },
      );
      const sent = request;
      sent.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the provider closed as the request went out: nothing reached
        // it, so the request goes once more on a new connection (Node's documented remedy).
        const closedWhileIdle = sent.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        if (!answered && !signal?.aborted && !retried && closedWhileIdle) return send(true);
        signal?.removeEventListener('abort', onAbort);
        if (!answered && !signal?.aborted) reject(new TypeError('fetch failed', { cause: error }));
      });
      sent.end(body ?? undefined);
    };
    function onAbort() {
      const reason = signal!.reason as Error;
      // The body's reader sees the signal's reason, as with fetch, not the socket's reset.
      if (answered) answered.destroy(reason);
      else reject(reason);
      request.destroy(reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    send(false);
  });
};

/**
 * How long a connection to a provider stays open unused. Node's agents close theirs after 5 s,
 * so a student who read the answer for longer waited for a new TCP and TLS handshake with the
 * provider (a round trip or two each, tens of milliseconds to a provider abroad) before the next
 * answer's first token. A provider's `Keep-Alive: timeout` shortens it (Node closes a second
 * before that).
 */
export const UPSTREAM_IDLE_MS = 60_000;

// As Node's global agents (keep-alive, last used first, and the proxy variables when Node was
// told to honour them: NODE_USE_ENV_PROXY, --use-env-proxy), but kept open longer.
const { proxyEnv } = (http.globalAgent as http.Agent & { options: http.AgentOptions }).options;
const agentOptions: http.AgentOptions = { keepAlive: true, scheduling: 'lifo', timeout: UPSTREAM_IDLE_MS, proxyEnv };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

// Statuses whose response has no body (a `Response` refuses one).
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** A header record, a `Headers` or pairs, as node:http takes them (fetch's own defaults ride along). */
function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = { accept: '*/*' };
  if (!headers) return plain;
  const entries = headers instanceof Headers || Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries as Iterable<[string, string | undefined]>) {
    if (value !== undefined) plain[name.toLowerCase()] = value;
  }
  return plain;
}

/**
 * The body as fetch would hand it over. Nothing asks for compression (no `accept-encoding` is
 * sent), but a server may compress anyway.
 */
function decoding(response: http.IncomingMessage): Readable {
  const decoder = DECODERS[response.headers['content-encoding']?.trim().toLowerCase() ?? ''];
  // The pipeline carries an aborted or broken response on to the decoded stream as its error.
  return decoder ? pipeline(response, decoder(), () => {}) : response;
}

const DECODERS: Record<string, () => NodeJS.ReadWriteStream & Readable> = {
  gzip: () => zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  'x-gzip': () => zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};
