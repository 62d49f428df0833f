import { createApiKey, hashPassword } from '@atrium/auth';
import { makeLocalUser, testClock } from '@atrium/auth/testing';
import { ApiKey, ApiUsageDaily, Conversation, Message, Model, ModelRateLimit, seed, UsageDaily, UsageMonthly, User, type IUser } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing';
import { createContextInner } from '../context';
import { createCaller } from '../root';
import { updateApiSettings } from '../routers/apiKeys/apiKeys.service';
import { accountingPeriod } from '../routers/usage/calendar';

const DAY = 86_400_000;

describe('the OpenAI-compatible API, driven by the official openai SDK', () => {
  let stub: StubUpstream;
  let server: Awaited<ReturnType<typeof startTestApiServer>>;
  const clock = testClock(new Date());
  const em = () => server.runtime.orm.em.fork();

  beforeAll(async () => {
    stub = await startStubUpstream();
    server = await startTestApiServer({ config: { now: clock, providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
    await seed(em(), { hashPassword });
    const fork = em();
    fork.create(Model, { id: 'demo-hidden', provider: 'demo', providerModelId: 'demo', displayName: 'Hidden', enabled: false });
    fork.create(Model, { id: 'demo-blocked', provider: 'demo', providerModelId: 'demo', displayName: 'Blocked for staff' });
    await fork.flush();
    fork.create(ModelRateLimit, { model: 'demo-blocked', role: 'staff', dailyRequestLimit: 0 });
    await fork.flush();
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await server?.close();
    await stub?.close();
  });

  /** A staff member (allowed keys by default) with a fresh key, and the SDK client using it. */
  async function keyHolder(options: { limits?: IUser['limits']; expiresAt?: Date | null } = {}) {
    const fork = em();
    const { user } = await makeLocalUser(fork, { role: 'staff' });
    if (options.limits) user.limits = options.limits;
    await fork.flush();
    const { key, apiKey } = await createApiKey(fork, user, { name: 'Test tool', expiresAt: options.expiresAt ?? null }, clock);
    const client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    return { user, key, apiKey, client };
  }

  it('lists the models the key’s owner may use, without hidden or zero-limit ones', async () => {
    const { client } = await keyHolder();
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('demo');
    expect(ids).not.toContain('demo-hidden');
    expect(ids).not.toContain('demo-blocked');
    expect(await client.models.retrieve('demo')).toMatchObject({ id: 'demo', object: 'model', owned_by: 'atrium' });
    const missing = await client.models.retrieve('demo-blocked').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers a completion, passes the sampling fields on, and settles exactly the reported usage on the API channel', async () => {
    const { client, user, apiKey } = await keyHolder();
    stub.script({ text: ['The capital ', 'is Ankara.'], usage: { promptTokens: 40, completionTokens: 6 } });
    const completion = await client.chat.completions.create({
      model: 'demo',
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'What is the capital of Türkiye?' },
      ],
      temperature: 0.2,
      max_completion_tokens: 64,
      stop: ['\n\n'],
      user: 'student-42',
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'demo',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The capital is Ankara.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);

    const upstream = stub.requests[0]!;
    expect(upstream.temperature).toBe(0.2);
    expect(upstream.maxTokens).toBe(64);
    expect(upstream.body.stop).toEqual(['\n\n']);
    const system = JSON.stringify(upstream.messages[0]);
    // The admin's identity comes first (applied by default), then the caller's own system message.
    expect(system).toContain('Atrium');
    expect(system).toContain('Answer in one sentence.');

    const daily = await em().findOneOrFail(UsageDaily, { user: user.id, model: 'demo' });
    expect(daily).toMatchObject({ requests: 1, promptTokens: 40, completionTokens: 6 });
    expect(await em().findOneOrFail(UsageMonthly, { user: user.id, model: 'demo' })).toMatchObject({ tokens: 46, reservedTokens: 0 });
    expect(await em().findOneOrFail(ApiUsageDaily, { apiKey: apiKey.id })).toMatchObject({ requests: 1, promptTokens: 40, completionTokens: 6 });
    // Nothing is kept as a conversation unless admins enable it.
    expect(await em().count(Conversation, { user: user.id })).toBe(0);
  });

  it('streams deltas in order and the usage chunk when asked for', async () => {
    const { client } = await keyHolder();
    stub.script({ text: ['One, ', 'two, ', 'three.'], usage: { promptTokens: 20, completionTokens: 5 } });
    const stream = await client.chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: 'Count to three.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('One, two, three.');
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } });

    // The SDK's stream helper accumulates the same answer.
    stub.script({ text: 'Streamed with the helper.' });
    const helper = client.chat.completions.stream({ model: 'demo', messages: [{ role: 'user', content: 'Say something.' }] });
    expect((await helper.finalChatCompletion()).choices[0]!.message.content).toBe('Streamed with the helper.');
  });

  it('stops the upstream call when the client aborts mid-stream, and charges the partial answer', async () => {
    const { client, user } = await keyHolder();
    stub.script({ text: 'word '.repeat(200), usage: null, chunkDelayMs: 30 });
    const stream = await client.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Talk for a long time.' }], stream: true });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 3) stream.controller.abort();
    }
    await expect.poll(() => stub.requests[0]?.closedEarly, { timeout: 15_000 }).toBe(true);
    expect(stub.requests[0]!.chunksSent).toBeLessThan(200);
    // No usage was reported for the cut answer: the estimate of what was produced is charged.
    await expect
      .poll(async () => (await em().findOne(UsageMonthly, { user: user.id, model: 'demo' }))?.reservedTokens, { timeout: 15_000 })
      .toBe(0);
    const daily = await em().findOneOrFail(UsageDaily, { user: user.id, model: 'demo' });
    expect(daily.requests).toBe(1);
    expect(daily.completionTokens).toBeGreaterThan(0);
  });

  it('refuses a request over the limit with a 429 the SDK reads as a RateLimitError, saying when it resets', async () => {
    const { client } = await keyHolder({ limits: { demo: { dailyRequestLimit: 1 } } });
    stub.script({ text: 'First answer.' });
    await client.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'One question.' }] });
    const refused = await client.chat.completions
      .create({ model: 'demo', messages: [{ role: 'user', content: 'Another question.' }], stream: true })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.type).toBe('requests');
    expect(error.error).toMatchObject({ limit: 1, remaining: 0, resets_at: expect.any(String) });
    expect(Date.parse((error.error as { resets_at: string }).resets_at)).toBeGreaterThan(clock().getTime());
    expect(error.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(error.headers.get('retry-after'))).toBeGreaterThan(0);
    // The refused request was built while its admission ran: long enough for it to reach the stub, were it let go.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses expired, revoked, made-up and missing keys with a 401, and a banned owner’s key at once', async () => {
    const expiring = await keyHolder({ expiresAt: new Date(clock().getTime() + DAY) });
    await expiring.client.models.list();
    clock.advance(DAY + 1);
    await expect(expiring.client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const revoked = await keyHolder();
    await revoked.client.models.list();
    const fork = em();
    await fork.nativeUpdate(ApiKey, { id: revoked.apiKey.id }, { revokedAt: clock() });
    const refused = await revoked.client.models.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');

    const banned = await keyHolder();
    await fork.nativeUpdate(User, { id: banned.user.id }, { isBanned: true });
    await expect(banned.client.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const madeUp = new OpenAI({ apiKey: `atr_${'a'.repeat(40)}`, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(madeUp.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    expect(stub.requests).toHaveLength(0);
  });

  it('answers 404 for an unknown model and 400 naming the field for what it cannot honour', async () => {
    const { client } = await keyHolder();
    const unknown = await client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });

    const refusals: [Record<string, unknown>, string][] = [
      [{ tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }] }, 'tools'],
      [{ response_format: { type: 'json_object' } }, 'response_format'],
      [{ n: 2 }, 'n'],
      [{ temperature: 3 }, 'temperature'],
      [{ messages: [{ role: 'tool', content: 'x', tool_call_id: 'a' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.edu/a.png' } }] }] }, 'messages[0].content'],
      [{ messages: [{ role: 'system', content: 'Only a system message.' }] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'nul \u0000 here' }] }, 'messages[0].content'],
      [{ max_tokens: 10_000_000 }, 'max_tokens'],
    ];
    for (const [fields, param] of refusals) {
      const body = { model: 'demo', messages: [{ role: 'user', content: 'Hi' }], ...fields } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
      const error = await client.chat.completions.create(body).catch((caught: unknown) => caught);
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param, JSON.stringify(fields)).toBe(param);
    }
    // Accepted and ignored, as documented: fields that only describe the caller.
    stub.script({ text: 'Fine.' });
    const ignored = await client.chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: 'Hi' }],
      metadata: { course: 'CS101' },
      store: false,
      tool_choice: 'none',
    });
    expect(ignored.choices[0]!.message.content).toBe('Fine.');
    expect(stub.requests).toHaveLength(1);
  });

  it('follows the admin settings: no identity when turned off, and kept as a conversation when enabled', async () => {
    const admin = await makeLocalUser(em(), { role: 'admin' });
    await updateApiSettings(em(), admin.user, { keyRoles: ['staff', 'admin'], applyIdentity: false, storeConversations: true });
    try {
      const { client, user } = await keyHolder();
      stub.script({ text: 'Plain answer.', usage: { promptTokens: 9, completionTokens: 3 } });
      await client.chat.completions.create({
        model: 'demo',
        messages: [
          { role: 'user', content: 'First question' },
          { role: 'assistant', content: 'First answer' },
          { role: 'user', content: 'Second question' },
        ],
      });
      expect(JSON.stringify(stub.requests[0]!.messages)).not.toContain('Atrium');
      const conversation = await em().findOneOrFail(Conversation, { user: user.id });
      expect(conversation.title).toBe('Second question');
      const messages = await em().find(Message, { conversation: conversation.id }, { orderBy: { createdAt: 'asc' } });
      expect(messages.map((message) => [message.role, message.content])).toEqual([
        ['user', 'First question'],
        ['assistant', 'First answer'],
        ['user', 'Second question'],
        ['assistant', 'Plain answer.'],
      ]);
      expect(messages.at(-1)).toMatchObject({ promptTokens: 9, completionTokens: 3, metadata: { channel: 'api' } });
    } finally {
      await updateApiSettings(em(), admin.user, { keyRoles: ['staff', 'admin'], applyIdentity: true, storeConversations: false });
    }
  });

  it('shows API use apart from web use in analytics, per channel and per key', async () => {
    const { client, user } = await keyHolder();
    stub.script({ text: 'Counted.', usage: { promptTokens: 100, completionTokens: 10 } });
    await client.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Count me.' }] });
    // The same user's web use: a row in the ledger the API did not write.
    const day = accountingPeriod(clock(), server.runtime.config.usageTimeZone).day;
    await em().execute(
      'update usage_daily set requests = requests + 2, prompt_tokens = prompt_tokens + 50, completion_tokens = completion_tokens + 5 where user_id = ? and date = ?',
      [user.id, day],
    );
    const admin = await makeLocalUser(em(), { role: 'admin' });
    const caller = createCaller(createContextInner({ em: em(), user: admin.user, config: server.runtime.config }));
    const byChannel = await caller.usage.admin.analytics({ from: day, to: day, groupBy: 'channel' });
    const apiRow = byChannel.find((row) => row.key === 'api')!;
    const webRow = byChannel.find((row) => row.key === 'web')!;
    const total = await em().find(UsageDaily, { date: day });
    const totalRequests = total.reduce((sum, row) => sum + row.requests, 0);
    expect(apiRow.requests + webRow.requests).toBe(totalRequests);
    expect(webRow.requests).toBeGreaterThanOrEqual(2);
    const byKey = await caller.usage.admin.analytics({ from: day, to: day, groupBy: 'apiKey' });
    expect(byKey.find((row) => row.key.startsWith(`${user.username} · Test tool (atr_`))).toMatchObject({ requests: 1, promptTokens: 100, completionTokens: 10 });
  });
});

