import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoAnswer, wordChunks } from './demo';
import { solidPng } from './png';
import {
  chatCompletion,
  chatStream,
  errorBody,
  estimatePromptTokens,
  estimateTokens,
  maxTokensOf,
  messagesOf,
  responsesMessage,
  ResponsesStream,
  type StubApi,
  type StubFinishReason,
  type StubFlavour,
  type StubMessage,
  type StubUsage,
} from './wire';

/** One scripted answer. Everything is optional; an empty reply answers with the default text. */
export interface StubReply {
  /** A string is streamed word by word; an array is streamed as exactly these chunks. */
  text?: string | string[];
  /** The usage to report; omitted = estimated (~4 characters per token); null = report none. */
  usage?: StubUsage | null;
  /** Wait before the first text chunk (streaming) or before the body (non-streaming). */
  delayMs?: number;
  /** Wait between text chunks. */
  chunkDelayMs?: number;
  /**
   * Streaming: points where the text stops until the test lets it go on (see `stubHold`), so a test
   * can look at the answer mid-flight however loaded the machine is.
   */
  holds?: readonly StubHold[];
  /** Destroy the socket after sending this many text chunks (0 = before any text). */
  failAfterChunks?: number;
  /** Answer with this HTTP error status and an OpenAI-format error body (429 adds retry-after). */
  status?: number;
  errorMessage?: string;
  retryAfterSeconds?: number;
  /** Never answer: the request stays open until the client gives up. */
  hang?: boolean;
  finishReason?: StubFinishReason;
  /** Report usage the way this provider does (Groq: `x_groq.usage` on the final chunk). */
  flavour?: StubFlavour;
}

/** A point in a streamed reply where it waits: after `afterChunks` text chunks, until `until` settles. */
export interface StubHold {
  readonly afterChunks: number;
  readonly until: Promise<unknown>;
}

/** A hold after `afterChunks` chunks, released by calling `release` (a test's `finally` should, too). */
export function stubHold(afterChunks = 0): StubHold & { release: () => void } {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  return { afterChunks, until, release };
}

export type StubReplySource = 'script' | 'default' | 'demo';

/** What the stub saw and did for one request. Mutable fields change while the reply streams. */
export interface StubRequest {
  readonly index: number;
  readonly path: string;
  readonly api: StubApi;
  readonly flavour: StubFlavour;
  readonly stream: boolean;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body exactly as sent. */
  readonly body: Record<string, unknown>;
  readonly model: string | undefined;
  /** The conversation as role/text pairs (Chat `messages` or Responses `instructions` + `input`). */
  readonly messages: StubMessage[];
  readonly temperature: number | undefined;
  readonly maxTokens: number | undefined;
  readonly reply: Readonly<StubReply>;
  readonly source: StubReplySource;
  /** When the stub had read the request: `performance.timeOrigin + performance.now()`, comparable across processes on one machine. */
  readonly receivedAt: number;
  /** The text chunks the reply consists of, in order. */
  readonly chunks: readonly string[];
  /** How many of `chunks` have been written so far: the stub's own progress record. */
  chunksSent: number;
  /** The usage the stub put on the wire; null until (and unless) it reported one. */
  usage: StubUsage | null;
  /** The HTTP status sent, once headers went out. */
  status: number | undefined;
  /** The whole reply was written. */
  finished: boolean;
  /** The client closed the connection before the reply was finished. */
  closedEarly: boolean;
  /** The stub broke the connection on purpose (`failAfterChunks`). */
  failedByStub: boolean;
  /** Resolves once the exchange is over: finished, closed by the client or broken by the stub. */
  readonly settled: Promise<void>;
}

/** One call to the image generation endpoint. */
export interface StubImageRequest {
  readonly body: Record<string, unknown>;
  readonly prompt: string;
  readonly headers: IncomingHttpHeaders;
}

export interface StubUpstreamOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How `/v1/chat/completions` reports streamed usage; `/groq/openai/v1/...` is always Groq. */
  flavour?: StubFlavour;
  /** Answer unscripted requests as the offline Demo model. */
  demo?: boolean;
  /** The Demo model's pace, per word. */
  demoChunkDelayMs?: number;
  /** What unscripted requests get when not in demo mode. */
  defaultReply?: StubReply;
  /**
   * How long an idle keep-alive connection stays open (Node's default: 5 s). A client reusing a
   * connection the moment the server closes it sees "other side closed"; on a busy machine that
   * race is common, so a benchmark keeps connections open longer.
   */
  keepAliveTimeoutMs?: number;
}

/** How one image generation answers: `status` other than 200 is an OpenAI-style error; `delayMs` waits first. */
export interface StubImageReply {
  status?: number;
  delayMs?: number;
}

export interface StubUpstream {
  /** OpenAI-style base URL, ending in `/v1` (for createOpenAI / createOpenAICompatible). */
  readonly url: string;
  /** Groq-style base URL (for createGroq): always reports usage in `x_groq`. */
  readonly groqUrl: string;
  readonly requests: readonly StubRequest[];
  /** Calls to `POST /v1/images/generations`. */
  readonly imageRequests: readonly StubImageRequest[];
  readonly lastRequest: StubRequest | undefined;
  /** Some client closed a connection before its reply was finished. */
  readonly closedEarly: boolean;
  /** Queue replies; each request takes the next one, or the default when the queue is empty. */
  script(...replies: StubReply[]): void;
  /** Queue how the next image generations answer (an error status, a delay); unscripted ones draw at once. */
  scriptImages(...replies: StubImageReply[]): void;
  /** Forget scripted replies and recorded requests. */
  reset(): void;
  /** Wait until every request so far has settled. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TEXT = 'Hello from the stub upstream.';
const DEMO_MODEL_ID = 'atrium-demo';

export async function startStubUpstream(options: StubUpstreamOptions = {}): Promise<StubUpstream> {
  const host = options.host ?? '127.0.0.1';
  const serverFlavour = options.flavour ?? 'openai';
  const queue: StubReply[] = [];
  const requests: StubRequest[] = [];
  const imageRequests: StubImageRequest[] = [];
  const imageQueue: StubImageReply[] = [];
  let sequence = 0;
  let shuttingDown = false;

  function nextReply(messages: StubMessage[]): { reply: StubReply; source: StubReplySource } {
    const scripted = queue.shift();
    if (scripted) return { reply: scripted, source: 'script' };
    if (options.demo) {
      const question = messages.findLast((message) => message.role === 'user')?.content ?? '';
      return { reply: { text: demoAnswer(question), chunkDelayMs: options.demoChunkDelayMs ?? 20 }, source: 'demo' };
    }
    return { reply: options.defaultReply ?? { text: DEFAULT_TEXT }, source: 'default' };
  }

  /** OpenAI's image generation: `n` real PNGs (64×64, a colour per prompt) as base64. */
  async function generateImages(req: IncomingMessage, res: ServerResponse) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: { message: 'The body must be a JSON object.', type: 'invalid_request_error', param: null, code: 'invalid_json' } });
    }
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    imageRequests.push({ body, prompt, headers: req.headers });
    const scripted = imageQueue.shift() ?? {};
    if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted.status && scripted.status !== 200) {
      return json(res, scripted.status, { error: { message: 'The image request was refused.', type: 'invalid_request_error', param: null, code: 'image_refused' } });
    }
    const n = typeof body.n === 'number' ? body.n : 1;
    const hue = [...prompt].reduce((sum, c) => (sum + c.charCodeAt(0)) % 256, 0);
    const png = solidPng(64, 64, [hue, 255 - hue, 128]).toString('base64');
    return json(res, 200, { created: Math.floor(Date.now() / 1000), data: Array.from({ length: n }, () => ({ b64_json: png })) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    req.on('error', () => {});
    res.on('error', () => {});
    const path = (req.url ?? '/').split('?')[0]!;

    if (req.method === 'GET' && (path === '/v1/models' || path === '/groq/openai/v1/models')) {
      return json(res, 200, {
        object: 'list',
        data: [{ id: options.demo ? DEMO_MODEL_ID : 'stub-model', object: 'model', created: 0, owned_by: 'atrium' }],
      });
    }
    if (req.method === 'POST' && path === '/v1/images/generations') return generateImages(req, res);
    const route = routeOf(req.method, path, serverFlavour);
    if (!route)
      return json(res, 404, {
        error: {
          message: `Unknown endpoint ${req.method} ${path}`,
          type: 'invalid_request_error',
          param: null,
          code: 'not_found',
        },
      });

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(req));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return json(res, 400, {
        error: {
          message: 'The body must be a JSON object.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_json',
        },
      });
    }

    const messages = messagesOf(route.api, body);
    const { reply, source } = nextReply(messages);
    const flavour = reply.flavour ?? route.flavour;
    const text = Array.isArray(reply.text) ? reply.text.join('') : (reply.text ?? DEFAULT_TEXT);
    const chunks = Array.isArray(reply.text) ? reply.text : wordChunks(text);
    const usage: StubUsage | null =
      reply.usage === null
        ? null
        : (reply.usage ?? { promptTokens: estimatePromptTokens(messages), completionTokens: estimateTokens(text) });

    let settle!: () => void;
    const record: StubRequest = {
      index: requests.length,
      path,
      api: route.api,
      flavour,
      stream: body.stream === true,
      headers: req.headers,
      body,
      model: typeof body.model === 'string' ? body.model : undefined,
      messages,
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
      maxTokens: maxTokensOf(body),
      reply,
      source,
      receivedAt: performance.timeOrigin + performance.now(),
      chunks,
      chunksSent: 0,
      usage: null,
      status: undefined,
      finished: false,
      closedEarly: false,
      failedByStub: false,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    };
    requests.push(record);

    let closed = false;
    res.on('close', () => {
      closed = true;
      if (!record.finished && !record.failedByStub && !shuttingDown) record.closedEarly = true;
      settle();
    });
    const alive = () => !closed && !res.destroyed;
    // A pause ends early when the connection goes, so no timer outlives its exchange.
    const pause = (ms: number | undefined) =>
      new Promise<void>((resolve) => {
        if (!ms || ms <= 0 || !alive()) return resolve();
        const done = () => {
          clearTimeout(timer);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        res.on('close', done);
      });
    const breakConnection = () => {
      record.failedByStub = true;
      res.destroy();
    };
    const finish = (data?: string) => {
      record.finished = true;
      res.end(data);
    };

    if (reply.hang) return;

    if (reply.status && reply.status >= 400) {
      await pause(reply.delayMs);
      if (!alive()) return;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (reply.status === 429) headers['retry-after'] = String(reply.retryAfterSeconds ?? 1);
      record.status = reply.status;
      res.writeHead(reply.status, headers);
      return finish(JSON.stringify(errorBody(reply.status, reply.errorMessage)));
    }

    const ctx = {
      id: `stub${++sequence}`,
      created: Math.floor(Date.now() / 1000),
      model: record.model ?? 'stub-model',
      flavour,
    };
    const finishReason = reply.finishReason ?? 'stop';

    if (!record.stream) {
      await pause(reply.delayMs);
      if (!alive()) return;
      if (reply.failAfterChunks !== undefined) return breakConnection();
      record.status = 200;
      record.usage = usage;
      record.chunksSent = chunks.length;
      const payload =
        route.api === 'chat'
          ? chatCompletion(ctx, text, finishReason, usage)
          : responsesMessage(ctx, text, finishReason, usage);
      res.writeHead(200, { 'content-type': 'application/json' });
      return finish(JSON.stringify(payload));
    }

    record.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const responses = route.api === 'responses' ? new ResponsesStream(ctx) : null;
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;

    res.write(responses ? responses.start() : chatStream.start(ctx));
    await pause(reply.delayMs);
    const holdsAt = async (sent: number) => {
      for (const hold of reply.holds ?? []) {
        if (Math.min(hold.afterChunks, chunks.length) === sent) await hold.until.catch(() => undefined);
      }
    };
    for (const [index, chunk] of chunks.entries()) {
      await holdsAt(index);
      if (index > 0) await pause(reply.chunkDelayMs);
      if (!alive()) return;
      // The break comes when the next chunk would have: what was sent has had time to arrive.
      if (reply.failAfterChunks !== undefined && index >= reply.failAfterChunks) return breakConnection();
      res.write(responses ? responses.text(chunk) : chatStream.text(ctx, chunk));
      record.chunksSent = index + 1;
    }
    if (alive()) await holdsAt(chunks.length);
    if (reply.failAfterChunks !== undefined && reply.failAfterChunks <= chunks.length) {
      await pause(reply.chunkDelayMs);
      if (alive()) breakConnection();
      return;
    }
    if (!alive()) return;
    // What goes on the wire is what a test may compare with: Chat reports streamed usage only
    // when asked (OpenAI) or always in x_groq (Groq); Responses always carries it.
    const reported = responses || flavour === 'groq' || includeUsage ? usage : null;
    record.usage = reported;
    finish(
      responses ? responses.end(text, finishReason, usage) : chatStream.end(ctx, finishReason, usage, includeUsage),
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, errorBody(500, `Stub failure: ${String(error)}`));
      else res.destroy();
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: `${origin}/v1`,
    groqUrl: `${origin}/groq/openai/v1`,
    requests,
    imageRequests,
    get lastRequest() {
      return requests.at(-1);
    },
    get closedEarly() {
      return requests.some((request) => request.closedEarly);
    },
    script(...replies) {
      queue.push(...replies);
    },
    scriptImages(...replies) {
      imageQueue.push(...replies);
    },
    reset() {
      queue.length = 0;
      imageQueue.length = 0;
      requests.length = 0;
      imageRequests.length = 0;
    },
    async settled() {
      await Promise.all(requests.map((request) => request.settled));
    },
    close() {
      shuttingDown = true;
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function routeOf(
  method: string | undefined,
  path: string,
  serverFlavour: StubFlavour,
): { api: StubApi; flavour: StubFlavour } | null {
  if (method !== 'POST') return null;
  switch (path) {
    case '/v1/chat/completions':
      return { api: 'chat', flavour: serverFlavour };
    case '/groq/openai/v1/chat/completions':
      return { api: 'chat', flavour: 'groq' };
    case '/v1/responses':
      return { api: 'responses', flavour: 'openai' };
    default:
      return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}
