import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubUpstream, stubHold, type StubUpstream } from './index';

let stub: StubUpstream;
beforeAll(async () => {
  stub = await startStubUpstream();
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: 'test-model',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is a monad?' },
  ],
  temperature: 0.3,
  max_tokens: 99,
  ...extra,
});

function post(url: string, body: unknown, init: RequestInit = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The `data:` payloads of an SSE body, in order. */
async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) =>
      frame
        .split('\n')
        .find((line) => line.startsWith('data: '))!
        .slice('data: '.length),
    );
}

describe('chat completions', () => {
  it('answers a non-streaming request with the text and an estimated usage, and records the request', async () => {
    stub.script({ text: 'A monoid in the category of endofunctors.' });
    const response = await post(`${stub.url}/chat/completions`, chatBody());
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: Record<string, number>;
    };
    expect(body.choices[0]!.message.content).toBe('A monoid in the category of endofunctors.');
    expect(body.choices[0]!.finish_reason).toBe('stop');

    const request = stub.requests[0]!;
    expect(request).toMatchObject({
      path: '/v1/chat/completions',
      api: 'chat',
      stream: false,
      model: 'test-model',
      temperature: 0.3,
      maxTokens: 99,
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is a monad?' },
    ]);
    expect(request.headers.authorization).toBe('Bearer k');
    // (4 + ceil(9/4)) + (4 + ceil(16/4)) prompt tokens; ceil(42/4) completion tokens.
    expect(request.usage).toEqual({ promptTokens: 15, completionTokens: 11 });
    expect(body.usage).toEqual({ prompt_tokens: 15, completion_tokens: 11, total_tokens: 26 });
  });

  it('streams explicit chunks as SSE, then the finish chunk, the usage chunk when asked for, and [DONE]', async () => {
    stub.script({ text: ['Hel', 'lo', ' there'], usage: { promptTokens: 7, completionTokens: 3 } });
    const response = await post(
      `${stub.url}/chat/completions`,
      chatBody({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const data = await sseData(response);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data
      .slice(0, -1)
      .map(
        (line) =>
          JSON.parse(line) as {
            choices: { delta: { content?: string }; finish_reason: string | null }[];
            usage?: unknown;
          },
      );
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('')).toBe(
      'Hello there',
    );
    expect(
      chunks.filter((chunk) => chunk.choices[0]?.delta.content).map((chunk) => chunk.choices[0]!.delta.content),
    ).toEqual(['Hel', 'lo', ' there']);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    expect(stub.lastRequest).toMatchObject({
      stream: true,
      finished: true,
      chunksSent: 3,
      usage: { promptTokens: 7, completionTokens: 3 },
    });
  });

  it('reports no streamed usage unless the client asks for it', async () => {
    const data = await sseData(await post(`${stub.url}/chat/completions`, chatBody({ stream: true })));
    expect(data.some((line) => line.includes('"usage"'))).toBe(false);
    expect(stub.lastRequest!.usage).toBeNull();
  });

  it('reports usage in x_groq on the final chunk under the Groq path', async () => {
    stub.script({ text: 'Hi', usage: { promptTokens: 12, completionTokens: 1 } });
    const data = await sseData(await post(`${stub.groqUrl}/chat/completions`, chatBody({ stream: true })));
    const final = JSON.parse(data.at(-2)!) as { choices: { finish_reason: string }[]; x_groq: { usage: unknown } };
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(final.x_groq.usage).toEqual({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 });
    expect(stub.lastRequest).toMatchObject({ flavour: 'groq', usage: { promptTokens: 12, completionTokens: 1 } });
  });

  it('serves scripted replies in order, then the default reply', async () => {
    stub.script({ text: 'first' }, { text: 'second' });
    const texts = [];
    for (let i = 0; i < 3; i++) {
      const body = (await (await post(`${stub.url}/chat/completions`, chatBody())).json()) as {
        choices: { message: { content: string } }[];
      };
      texts.push(body.choices[0]!.message.content);
    }
    expect(texts).toEqual(['first', 'second', 'Hello from the stub upstream.']);
    expect(stub.requests.map((request) => request.source)).toEqual(['script', 'script', 'default']);
  });
});

describe('responses API', () => {
  it('streams the Responses events with the text deltas and usage on response.completed', async () => {
    stub.script({ text: ['One', ' two'], usage: { promptTokens: 20, completionTokens: 2 } });
    const response = await post(`${stub.url}/responses`, {
      model: 'gpt-test',
      instructions: 'Be kind.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Count.' }] }],
      max_output_tokens: 50,
      stream: true,
    });
    const events = (await sseData(response)).map(
      (line) =>
        JSON.parse(line) as { type: string; delta?: string; sequence_number: number; response?: { usage: unknown } },
    );
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.filter((event) => event.delta).map((event) => event.delta)).toEqual(['One', ' two']);
    expect(events.at(-1)!.response!.usage).toMatchObject({ input_tokens: 20, output_tokens: 2, total_tokens: 22 });
    expect(stub.lastRequest).toMatchObject({
      api: 'responses',
      maxTokens: 50,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Count.' },
      ],
      usage: { promptTokens: 20, completionTokens: 2 },
    });
  });

  it('answers a non-streaming request with an output message', async () => {
    stub.script({ text: 'Done.' });
    const body = (await (await post(`${stub.url}/responses`, { model: 'gpt-test', input: 'Hi' })).json()) as {
      status: string;
      output: { content: { text: string }[] }[];
      usage: { input_tokens: number; output_tokens: number };
    };
    expect(body.status).toBe('completed');
    expect(body.output[0]!.content[0]!.text).toBe('Done.');
    expect(body.usage).toMatchObject({ input_tokens: 4 + 1, output_tokens: 2 });
  });
});

describe('failures', () => {
  it('answers 429 in the OpenAI error format with retry-after', async () => {
    stub.script({ status: 429, retryAfterSeconds: 7 });
    const response = await post(`${stub.url}/chat/completions`, chatBody({ stream: true }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({
      error: { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded', message: expect.any(String) },
    });
  });

  it('answers 500 with a server error body', async () => {
    stub.script({ status: 500 });
    const response = await post(`${stub.url}/responses`, { model: 'm', input: 'x', stream: true });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('breaks the connection mid-stream after the scripted number of chunks', async () => {
    stub.script({ text: ['a', 'b', 'c'], failAfterChunks: 2 });
    const response = await post(`${stub.url}/chat/completions`, chatBody({ stream: true }));
    await expect(response.text()).rejects.toThrow();
    await stub.settled();
    expect(stub.lastRequest).toMatchObject({ chunksSent: 2, finished: false, failedByStub: true, closedEarly: false });
  });

  it('records that the client closed the connection while the stub hung', async () => {
    stub.script({ hang: true });
    const controller = new AbortController();
    const pending = post(`${stub.url}/chat/completions`, chatBody({ stream: true }), { signal: controller.signal });
    await waitFor(() => stub.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await stub.settled();
    expect(stub.lastRequest!.closedEarly).toBe(true);
    expect(stub.closedEarly).toBe(true);
  });
});

describe('progress record', () => {
  it('shows chunks still pending when the client reads the first one', async () => {
    stub.script({ text: ['1', '2', '3', '4'], chunkDelayMs: 50 });
    const response = await post(`${stub.url}/chat/completions`, chatBody({ stream: true }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('"content":"1"')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    const request = stub.lastRequest!;
    expect(request.chunksSent).toBeLessThan(request.chunks.length);
    await reader.cancel();
    await stub.settled();
    expect(request.closedEarly).toBe(true);
  });

  it('holds the rest of the answer after the chunks it was told to send, until the test lets it go', async () => {
    const afterTwo = stubHold(2);
    stub.script({ text: ['1', '2', '3', '4'], holds: [afterTwo] });
    const response = await post(`${stub.url}/chat/completions`, chatBody({ stream: true }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('"content":"2"')) seen += decoder.decode((await reader.read()).value, { stream: true });
    const request = stub.lastRequest!;
    // Held: nothing past the second chunk goes out, however long the test looks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(request.chunksSent).toBe(2);
    expect(seen).not.toContain('"content":"3"');
    afterTwo.release();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) seen += decoder.decode(chunk.value, { stream: true });
    expect(seen).toContain('"content":"4"');
    expect(request).toMatchObject({ chunksSent: 4, finished: true });
  });
});

describe('demo mode', () => {
  it('answers unscripted requests as the labelled offline demo, quoting the question in markdown', async () => {
    const demo = await startStubUpstream({ demo: true, demoChunkDelayMs: 0 });
    try {
      const data = await sseData(
        await post(`${demo.url}/chat/completions`, {
          model: 'atrium-demo',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'How do\nI   bake ```bread```?' }],
        }),
      );
      const deltas = data
        .slice(0, -1)
        .map(
          (line) =>
            (JSON.parse(line) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '',
        )
        .filter(Boolean);
      const text = deltas.join('');
      expect(text).toContain('offline demo model');
      expect(text).toContain('> How do I bake ``bread``?');
      expect(text).toMatch(/^- \*\*Streaming\*\*/m);
      expect(text).toMatch(/```bash\n[\s\S]+\n```/);
      expect(deltas.length).toBeGreaterThan(30);
      expect(demo.lastRequest).toMatchObject({ source: 'demo', reply: { chunkDelayMs: 0 } });
      expect(demo.lastRequest!.usage).not.toBeNull();
    } finally {
      await demo.close();
    }
  });

  it('paces the demo at a readable speed by default', async () => {
    const demo = await startStubUpstream({ demo: true });
    try {
      await post(`${demo.url}/chat/completions`, { model: 'atrium-demo', messages: [{ role: 'user', content: 'Hi' }] });
      expect(demo.lastRequest!.reply.chunkDelayMs).toBe(20);
    } finally {
      await demo.close();
    }
  });
});

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
