/**
 * tRPC over node's HTTP, on tRPC's public `resolveResponse` (the function its own adapters are
 * built on), without the web `Request` the stock node adapter builds per call. That adapter
 * wraps the node request in `new Headers`, `new URL` and a ReadableStream body that tRPC then
 * reads with `req.json()` (~0.7 ms a call, most of it web-stream consumption), and pipes the
 * answer through a WritableStream. Here the body is read once from the node stream, and the
 * answer's chunks go straight to `res.write`, each flushed, with backpressure.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError, type AnyTRPCRouter, type inferRouterContext } from '@trpc/server';
import { resolveResponse, type HTTPErrorHandler } from '@trpc/server/http';
import type { Request, RequestHandler, Response } from 'express';

export type TrpcHandlerOptions<TRouter extends AnyTRPCRouter> = {
  router: TRouter;
  maxBatchSize: number;
  /** Largest request body: a larger declared length is refused unread, a longer chunked body is cut off. */
  maxBodyBytes: number;
  createContext: (req: Request, res: Response) => Promise<inferRouterContext<TRouter>>;
  onError: HTTPErrorHandler<TRouter, Request>;
  /**
   * Streamed procedures whose first value always waits on I/O (a chat turn's first event comes
   * after its admission's round trip): called alone, their answer's start waits for that value
   * (`writeBody`), so the response's headers are not written ahead of the procedure's own work.
   */
  startsAfterIo?: ReadonlySet<string>;
};

/** An express handler answering tRPC calls (mount it on the endpoint's path, e.g. `/api/trpc`). */
export function createTrpcHandler<TRouter extends AnyTRPCRouter>(options: TrpcHandlerOptions<TRouter>): RequestHandler {
  const { router, maxBatchSize, maxBodyBytes, onError } = options;
  return (req, res) => {
    // A declared length over the cap is refused before a byte of the body is read.
    if (Number(req.get('content-length') ?? 0) > maxBodyBytes) {
      res.status(413).set('connection', 'close').json(payloadTooLarge(maxBodyBytes));
      return;
    }
    const path = req.path.slice(req.path.lastIndexOf('/') + 1);
    const signal = abortedWhenClientLeaves(req, res);
    void answer()
      .catch((cause: unknown) => {
        // What tRPC's node adapter does with an exception outside any call: its error shape, logged, no stack.
        const error = getTRPCErrorFromUnknown(cause);
        onError({ error, type: 'unknown', path: undefined, input: undefined, ctx: undefined, req });
        if (res.headersSent) return;
        const shape = getErrorShape({ config: router._def._config, error, type: 'unknown', path: undefined, input: undefined, ctx: undefined });
        res.statusCode = shape.data.httpStatus;
        res.end(JSON.stringify(transformTRPCResponse(router._def._config, { error: shape })));
      })
      .finally(() => {
        if (!res.writableEnded) res.end();
      });

    async function answer() {
      const response = await resolveResponse({
        router,
        maxBatchSize,
        path,
        req: callRequest(req, signal, maxBodyBytes),
        error: null,
        createContext: () => options.createContext(req, res),
        onError: (failure) => onError({ ...failure, req }),
      });
      if (res.statusCode === 200) res.statusCode = response.status;
      for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
      // Cookies the context set on `res` (several, at times) stay; tRPC's own, if any, are added.
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.append('set-cookie', cookies);
      if (!response.body) return;
      const jsonl = req.get('trpc-accept') === 'application/jsonl';
      await writeBody(res, response.body, signal, !jsonl ? 'nothing' : options.startsAfterIo?.has(path) ? 'start' : 'head');
    }
  };
}

/** Aborted when the client goes away (or the response is done), as tRPC's node adapter does it. */
function abortedWhenClientLeaves(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  const abort = () => {
    res.off('close', abort);
    req.off('aborted', abort);
    controller.abort();
  };
  res.once('close', abort);
  req.once('aborted', abort);
  return controller.signal;
}

/**
 * The request as tRPC's `resolveResponse` and its content-type handlers read it (tRPC 11):
 * `method`, `url`, `headers.get/has`, `signal`, and the body through `json()` (JSON calls),
 * `formData()` (multipart) or `body` (octet-stream). Only what they read is here; the body is
 * read from the node stream once.
 */
function callRequest(req: Request, signal: AbortSignal, maxBodyBytes: number): globalThis.Request {
  const encrypted = (req.socket as { encrypted?: boolean } | null)?.encrypted === true || req.headers[':scheme'] === 'https';
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? 'localhost';
  const url = `${encrypted ? 'https' : 'http'}://${host}${req.url}`;
  // As the node adapter refuses a URL it cannot parse: 400, not an internal error.
  if (!URL.canParse(url)) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid URL' });
  // Read from the start, as the node adapter's stream does: by the time tRPC asks (after the
  // context), the body is in, and its promise resolves without waiting on stream events.
  const bytes = req.method === 'GET' || req.method === 'HEAD' ? Promise.resolve(Buffer.alloc(0)) : readBody(req, maxBodyBytes);
  bytes.catch(() => {}); // its refusal is answered when tRPC asks, or not at all
  const body = () => bytes;
  const text = async () => utf8(await body());
  const call = {
    method: req.method,
    url,
    headers: headerReader(req.headers),
    signal,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    formData: async () => new globalThis.Response(new Uint8Array(await body()), { headers: { 'content-type': req.get('content-type') ?? '' } }).formData(),
    get body() {
      if (req.method === 'GET' || req.method === 'HEAD') return null;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          controller.enqueue(new Uint8Array(await body()));
          controller.close();
        },
      });
    },
  };
  return call as unknown as globalThis.Request;
}

/** `Headers.get`/`has` over node's headers (node already joins repeated fields, as `get` would). */
const headerReader = (headers: IncomingHttpHeaders) => ({
  get(name: string): string | null {
    const value = headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  },
  has: (name: string) => headers[name.toLowerCase()] !== undefined,
});

/** The whole body; past `max` bytes (a body sent without a length) PAYLOAD_TOO_LARGE, the rest left to drain. */
function readBody(req: Request, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      stop();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onGone = (error?: Error) => {
      stop();
      reject(error ?? new TRPCError({ code: 'CLIENT_CLOSED_REQUEST' }));
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** As `Request.text()` decodes: UTF-8, a leading byte-order mark dropped. */
function utf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Each chunk written and flushed as it comes (compression's `flush`, when it wraps `res`),
 * waiting for `drain` when the socket is behind; the answer's stream is cancelled when the client leaves.
 * A jsonl answer's first line, its head, only announces the calls' results (placeholders a client
 * can do nothing with), and is ready before the calls have run: `hold` 'head' keeps it for the
 * next chunk, to go out with it and the response's headers in one socket write. `hold` 'start'
 * also keeps what follows it in the same turn of the event loop (tRPC's placeholders for the
 * call's promise and async iterable, or a value or an error the call had at once) for the first
 * chunk after that turn, or the end: a procedure in `startsAfterIo` then has its headers, its
 * start and its first value written in one, after its I/O rather than before it.
 */
async function writeBody(res: Response, body: ReadableStream<Uint8Array>, signal: AbortSignal, hold: 'nothing' | 'head' | 'start') {
  const reader = body.getReader();
  const cancel = () => void reader.cancel(signal.reason).catch(() => {});
  if (signal.aborted) return cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const flush = (res as Response & { flush?: () => void }).flush?.bind(res);
  let held: Uint8Array[] | null = hold === 'nothing' ? null : [];
  let startTurnOver = hold === 'head';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) return;
      if (held) {
        if (held.length === 0 && !startTurnOver) setImmediate(() => (startTurnOver = true));
        if (held.length === 0 || !startTurnOver) {
          held.push(value);
          continue;
        }
        // Written in the same tick: node's HTTP corks the socket until the next tick, so all go in one write.
        for (const chunk of held) res.write(chunk);
        held = null;
      }
      if (!res.write(value)) await drained(res, signal);
      flush?.();
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    // A stream that ended or failed right after its start: the start still goes first, as it would have.
    if (held && !signal.aborted) for (const chunk of held) res.write(chunk);
  }
}

/** The socket took the backlog, or there is no one left to wait for (the client left, the response is gone). */
function drained(res: Response, signal: AbortSignal): Promise<void> {
  if (signal.aborted || res.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      res.off('drain', done);
      res.off('close', done);
      res.off('error', done);
      signal.removeEventListener('abort', done);
      if (error instanceof Error) reject(error);
      else resolve();
    };
    res.once('drain', done);
    res.once('close', done);
    res.once('error', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The error a tRPC client expects, for a body refused before tRPC saw it. */
const payloadTooLarge = (max: number) => ({
  error: {
    json: {
      message: `The request is larger than ${max} bytes.`,
      code: -32022,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path: null, zodError: null, limit: null },
    },
  },
});
