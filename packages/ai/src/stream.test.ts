import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_ERROR_MESSAGES, ProviderError } from './errors';
import { isProviderConfigured, type ModelRef, type ProviderSettings } from './providers';
import { streamAnswer, type AnswerStream, type StreamAnswerOptions } from './stream';

let stub: StubUpstream;
let settings: ProviderSettings;

beforeAll(async () => {
  stub = await startStubUpstream({ demo: true, demoChunkDelayMs: 1 });
  settings = {
    groq: { apiKey: 'groq-test-key', baseURL: stub.groqUrl },
    openai: { apiKey: 'openai-test-key', baseURL: stub.url },
    local: { baseURL: stub.url },
    demo: { baseURL: stub.url },
  };
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const providers: { name: string; model: ModelRef; path: string; sentModelId: string; authorization?: string }[] = [
  {
    name: 'Groq',
    model: { provider: 'groq', providerModelId: 'llama-3.3-70b-versatile' },
    path: '/groq/openai/v1/chat/completions',
    sentModelId: 'llama-3.3-70b-versatile',
    authorization: 'Bearer groq-test-key',
  },
  {
    name: 'OpenAI Chat Completions',
    model: { provider: 'openai', providerModelId: 'chat:gpt-4.1-mini' },
    path: '/v1/chat/completions',
    sentModelId: 'gpt-4.1-mini',
    authorization: 'Bearer openai-test-key',
  },
  {
    name: 'OpenAI Responses',
    model: { provider: 'openai', providerModelId: 'gpt-4.1-mini' },
    path: '/v1/responses',
    sentModelId: 'gpt-4.1-mini',
    authorization: 'Bearer openai-test-key',
  },
  {
    name: 'OpenAI-compatible (local)',
    model: { provider: 'local', providerModelId: 'llama3.2:3b' },
    path: '/v1/chat/completions',
    sentModelId: 'llama3.2:3b',
  },
  {
    name: 'Demo',
    model: { provider: 'demo', providerModelId: 'atrium-demo' },
    path: '/v1/chat/completions',
    sentModelId: 'atrium-demo',
  },
];

const prompt = {
  system: 'You are Atrium.',
  messages: [
    { role: 'user' as const, content: 'Earlier question' },
    { role: 'assistant' as const, content: 'Earlier answer' },
    { role: 'user' as const, content: 'Say hello.' },
  ],
};

function start(model: ModelRef, extra: Partial<StreamAnswerOptions> = {}): AnswerStream {
  return streamAnswer({ model, settings, prompt, timeoutMs: 10_000, ...extra });
}

async function collect(answer: AnswerStream, onDelta?: (delta: string, index: number) => void) {
  const deltas: string[] = [];
  for await (const delta of answer.textStream) {
    deltas.push(delta);
    onDelta?.(delta, deltas.length - 1);
  }
  return { deltas, result: await answer.result };
}

describe.each(providers)('streamAnswer through $name', ({ model, path, sentModelId, authorization }) => {
  it('streams the text in order, as the upstream chunked it, and sends the prompt and settings', async () => {
    stub.script({ text: ['Hel', 'lo', ', ', 'world', '!'], usage: { promptTokens: 31, completionTokens: 5 } });
    const { deltas, result } = await collect(start(model, { temperature: 0.4, maxTokens: 300 }));

    expect(deltas).toEqual(['Hel', 'lo', ', ', 'world', '!']);
    expect(result).toMatchObject({
      text: 'Hello, world!',
      finishReason: 'stop',
      aborted: false,
      usage: { promptTokens: 31, completionTokens: 5 },
    });
    expect(result.error).toBeUndefined();
    expect(result.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(result.firstTokenMs!);

    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0]!;
    expect(request).toMatchObject({ path, model: sentModelId, stream: true, temperature: 0.4, maxTokens: 300 });
    expect(request.messages).toEqual([
      { role: 'system', content: 'You are Atrium.' },
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: 'Say hello.' },
    ]);
    expect(request.headers.authorization).toBe(authorization);
  });

  it('holds the request until sendWhen says true, then sends it as built', async () => {
    const send = Promise.withResolvers<boolean>();
    stub.script({ text: 'Held, then sent.' });
    const held = start(model, { sendWhen: send.promise });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stub.requests).toHaveLength(0);
    send.resolve(true);
    const { result } = await collect(held);
    expect(result).toMatchObject({ text: 'Held, then sent.', aborted: false, finishReason: 'stop' });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({ path, model: sentModelId });
  });

  it('records exactly the usage the upstream reported', async () => {
    stub.script({ text: 'An answer long enough to have a few tokens in it.' });
    const { result } = await collect(start(model));
    const reported = stub.lastRequest!.usage;
    expect(reported).not.toBeNull();
    expect(result.usage).toEqual(reported);
  });

  it('hands over the first delta while the upstream still has chunks to send', async () => {
    stub.script({ text: ['one ', 'two ', 'three ', 'four ', 'five ', 'six ', 'seven ', 'eight'], chunkDelayMs: 40 });
    let pendingAtFirstDelta = -1;
    const { result } = await collect(start(model), (_delta, index) => {
      if (index === 0) pendingAtFirstDelta = stub.lastRequest!.chunks.length - stub.lastRequest!.chunksSent;
    });
    expect(pendingAtFirstDelta).toBeGreaterThan(0);
    expect(result.text).toBe('one two three four five six seven eight');
  });

  it('aborts the upstream request when the signal aborts, keeping the partial text', async () => {
    const chunks = Array.from({ length: 20 }, (_, index) => `w${index} `);
    stub.script({ text: chunks, chunkDelayMs: 30 });
    const controller = new AbortController();
    const { deltas, result } = await collect(start(model, { abortSignal: controller.signal }), (_delta, index) => {
      if (index === 1) controller.abort();
    });

    expect(result.aborted).toBe(true);
    expect(result.finishReason).toBe('aborted');
    expect(result.error).toBeUndefined();
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(result.text).toBe(deltas.join(''));
    expect(chunks.join('').startsWith(result.text)).toBe(true);

    await stub.settled();
    const request = stub.lastRequest!;
    expect(request.closedEarly).toBe(true);
    expect(request.chunksSent).toBeLessThan(chunks.length);
  });

  it('reports a rate limit clearly, after exactly one upstream request', async () => {
    stub.script({ status: 429, retryAfterSeconds: 3 });
    const { deltas, result } = await collect(start(model));
    expect(deltas).toEqual([]);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error).toMatchObject({
      kind: 'rate-limited',
      message: 'The model provider is rate-limiting requests; try again in a moment.',
      retryAfterSeconds: 3,
    });
    expect(result.finishReason).toBe('error');
    expect(stub.requests).toHaveLength(1);
  });

  it('reports a provider failure without leaking its details, after exactly one upstream request', async () => {
    stub.script({ status: 500, errorMessage: 'internal detail at /srv/secret with key sk-123' });
    const { result } = await collect(start(model));
    expect(result.error).toMatchObject({ kind: 'failed', message: 'The model provider failed to answer.' });
    expect(result.error!.message).not.toContain('secret');
    expect(stub.requests).toHaveLength(1);
  });

  it('gives up on an upstream that never answers and closes the connection', async () => {
    stub.script({ hang: true });
    // Long enough for the request to reach the stub on a busy machine, so its closing can be seen.
    const { result } = await collect(start(model, { timeoutMs: 1_000 }));
    expect(result.error).toMatchObject({ kind: 'timeout', message: 'The model took too long to answer.' });
    expect(result).toMatchObject({ aborted: false, finishReason: 'timeout', text: '' });
    await stub.settled();
    expect(stub.lastRequest!.closedEarly).toBe(true);
  });

  it('times out when the upstream goes silent mid-answer, keeping what arrived', async () => {
    stub.script({ text: ['Partial ', 'answer ', 'then silence'], chunkDelayMs: 2_000 });
    // The first token may take its time on a busy machine; the silence after it may not.
    const { result } = await collect(start(model, { timeoutMs: 250, firstTokenTimeoutMs: 30_000 }));
    expect(result.error).toMatchObject({ kind: 'timeout' });
    expect(result.text).toBe('Partial ');
    await stub.settled();
    expect(stub.lastRequest!.closedEarly).toBe(true);
  });

  it('reports a connection lost mid-stream as a failure, keeping the partial text', async () => {
    stub.script({ text: ['First ', 'second ', 'third'], chunkDelayMs: 50, failAfterChunks: 2 });
    const { deltas, result } = await collect(start(model));
    expect(deltas).toEqual(['First ', 'second ']);
    expect(result).toMatchObject({ text: 'First second ', aborted: false, finishReason: 'error', usage: null });
    expect(result.error).toMatchObject({ kind: 'failed', message: 'The model provider failed to answer.' });
    expect(stub.lastRequest!.failedByStub).toBe(true);
  });
});

describe('streamAnswer', () => {
  it('streams the offline demo answer when the demo model is not scripted', async () => {
    const { deltas, result } = await collect(start({ provider: 'demo', providerModelId: 'atrium-demo' }));
    expect(stub.lastRequest!.source).toBe('demo');
    expect(deltas.length).toBeGreaterThan(20);
    expect(result.text).toContain('offline demo model');
    expect(result.text).toContain('> Say hello.');
    expect(result.usage).toEqual(stub.lastRequest!.usage);
  });

  it('reports usage as null when the provider reports none', async () => {
    stub.script({ text: 'No usage here.', usage: null });
    const { result } = await collect(start({ provider: 'local', providerModelId: 'm' }));
    expect(result.text).toBe('No usage here.');
    expect(result.usage).toBeNull();
  });

  it('reports an answer cut by the token limit as finishReason "length"', async () => {
    stub.script({ text: 'Cut sho', finishReason: 'length' });
    const { result } = await collect(start({ provider: 'openai', providerModelId: 'gpt-4.1-mini' }, { maxTokens: 2 }));
    expect(result.finishReason).toBe('length');
  });

  it('does not call the upstream when the signal is already aborted', async () => {
    const { result } = await collect(
      start({ provider: 'groq', providerModelId: 'm' }, { abortSignal: AbortSignal.abort() }),
    );
    expect(result).toMatchObject({ aborted: true, text: '' });
    expect(stub.requests).toHaveLength(0);
  });

  it('starts its clocks when a held request is sent: the hold is no part of the latency or the timeouts', async () => {
    const holdMs = 1000;
    const send = Promise.withResolvers<boolean>();
    stub.script({ text: 'Held, then sent.' });
    // A first-token timeout shorter than the hold: counted from the hold, it would fail the answer.
    const held = start({ provider: 'local', providerModelId: 'm' }, { sendWhen: send.promise, firstTokenTimeoutMs: holdMs / 2 });
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    send.resolve(true);
    const { result } = await collect(held);
    expect(result).toMatchObject({ text: 'Held, then sent.', aborted: false, finishReason: 'stop' });
    expect(result.error).toBeUndefined();
    expect(result.latencyMs).toBeLessThan(holdMs);
  });

  it('sends nothing and ends the answer as aborted when sendWhen says no', async () => {
    const send = Promise.withResolvers<boolean>();
    const refused = start({ provider: 'groq', providerModelId: 'm' }, { sendWhen: send.promise });
    await new Promise((resolve) => setTimeout(resolve, 50));
    send.resolve(false);
    const { deltas, result } = await collect(refused);
    expect(deltas).toEqual([]);
    expect(result).toMatchObject({ text: '', aborted: true, finishReason: 'aborted', usage: null });
    expect(result.error).toBeUndefined();
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses a model whose provider is not configured', () => {
    const bare: ProviderSettings = { demo: settings.demo! };
    expect(isProviderConfigured('groq', bare)).toBe(false);
    expect(isProviderConfigured('demo', bare)).toBe(true);
    expect(() =>
      streamAnswer({ model: { provider: 'groq', providerModelId: 'm' }, settings: bare, prompt, timeoutMs: 1000 }),
    ).toThrow(PROVIDER_ERROR_MESSAGES['not-configured']);
  });
});
