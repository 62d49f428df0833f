import { LimitExceededError, Model, ModelRateLimit, TokenLease, UsageDaily, UsageMonthly, User } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { upstreamErrors } from '../../observability/metrics';
import { admit, admitUnlessServed } from './limits.service';

describe('limits, usage and analytics', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit('pglite', { config: { providers: { demo: { baseURL: stub.url } }, usageTimeZone: 'Europe/Istanbul' } });
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  /** One complete exchange in an existing, titled conversation (no title call). */
  async function ask(caller: Awaited<ReturnType<ApiTestKit['signedIn']>>['caller'], conversationId: string) {
    const events = [];
    for await (const event of await caller.chat.send({ conversationId, content: 'Hello?', modelId: 'demo' })) events.push(event);
    return events.at(-1)!;
  }
  async function student(options: { daily?: number | null; monthly?: number | null } = {}) {
    const me = await kit.signedIn('student');
    const conversation = await me.caller.chat.create({ title: 'Limits', modelId: 'demo' });
    if (options.daily !== undefined || options.monthly !== undefined) {
      const admin = await kit.signedIn('admin');
      await admin.caller.users.setLimits({
        id: me.user.id,
        limits: { demo: { dailyRequestLimit: options.daily ?? null, monthlyTokenLimit: options.monthly ?? null } },
      });
      me.user.limits = (await kit.db.orm.em.fork().findOneOrFail(User, me.user.id)).limits;
    }
    return { ...me, conversationId: conversation.id };
  }
  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as TRPCError & { cause: { details: Record<string, unknown> } };
    }
    throw new Error('expected a rejection');
  };

  it('refuses the request past the daily limit with which limit, what remains and when it resets', async () => {
    kit.clock.set(new Date('2026-11-23T12:00:00Z'));
    const me = await student({ daily: 2 });
    await ask(me.caller, me.conversationId);
    await ask(me.caller, me.conversationId);
    const error = await rejection(ask(me.caller, me.conversationId));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.cause.details).toEqual({ limit: 'dailyRequests', model: 'demo', max: 2, remaining: 0, resetsAt: '2026-11-23T21:00:00.000Z' });
    expect(stub.requests).toHaveLength(2);
    // A refused first message leaves no empty conversation behind.
    const before = (await me.caller.chat.conversations({})).items.length;
    const refused = await rejection((async () => {
      for await (const _event of await me.caller.chat.send({ content: 'A new chat', modelId: 'demo' })) void _event;
    })());
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect((await me.caller.chat.conversations({})).items.length).toBe(before);
    const usage = await me.caller.usage.mine();
    expect(usage.find((row) => row.model.id === 'demo')!.today).toMatchObject({ requests: 2, limit: 2, remaining: 0 });
  });

  it('resets at local midnight of the configured zone, and the month at the first', async () => {
    kit.clock.set(new Date('2026-11-30T20:00:00Z')); // 23:00 in Istanbul
    const me = await student({ daily: 1, monthly: 1_000_000 });
    await ask(me.caller, me.conversationId);
    expect((await rejection(ask(me.caller, me.conversationId))).code).toBe('TOO_MANY_REQUESTS');
    kit.clock.set(new Date('2026-11-30T21:00:01Z')); // 00:00:01 on 1 December in Istanbul
    expect((await ask(me.caller, me.conversationId)).type).toBe('finished');
    const usage = (await me.caller.usage.mine()).find((row) => row.model.id === 'demo')!;
    expect(usage.today.requests).toBe(1);
    // A new month: only December's tokens count.
    expect(usage.month.tokens).toBe(stub.requests.at(-1)!.usage!.promptTokens + stub.requests.at(-1)!.usage!.completionTokens);
    expect(usage.month.resetsAt.toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it("lets a user's override beat the role limit, and leaves admins unlimited unless set", async () => {
    kit.clock.set(new Date('2026-11-24T09:00:00Z'));
    const em = kit.db.orm.em.fork();
    await em.nativeUpdate(ModelRateLimit, { model: 'demo', role: 'student' }, { dailyRequestLimit: 1 });
    const limited = await student();
    await ask(limited.caller, limited.conversationId);
    expect((await rejection(ask(limited.caller, limited.conversationId))).code).toBe('TOO_MANY_REQUESTS');
    const raised = await student({ daily: 3 });
    for (let i = 0; i < 3; i++) expect((await ask(raised.caller, raised.conversationId)).type).toBe('finished');

    const admin = await kit.signedIn('admin');
    const chat = await admin.caller.chat.create({ title: 'Admin', modelId: 'demo' });
    for (let i = 0; i < 5; i++) expect((await ask(admin.caller, chat.id)).type).toBe('finished');
    await em.nativeUpdate(ModelRateLimit, { model: 'demo', role: 'student' }, { dailyRequestLimit: 100 });
  });

  it('refuses when the monthly token budget cannot cover the reservation, before any upstream call', async () => {
    const me = await student({ monthly: 100 });
    const error = await rejection(ask(me.caller, me.conversationId));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.cause.details).toMatchObject({ limit: 'monthlyTokens', max: 100, remaining: 100 });
    expect(stub.requests).toHaveLength(0);
    // The refused request was not counted against today either.
    expect((await kit.db.orm.em.fork().findOne(UsageDaily, { user: me.user.id }))?.requests ?? 0).toBe(0);
  });

  it('sends nothing upstream for a refused turn (its request is built while admission runs), with no upstream error and no stray rejection', async () => {
    kit.clock.set(new Date('2026-11-27T12:00:00Z'));
    const me = await student({ daily: 1 });
    await ask(me.caller, me.conversationId);
    const upstreamErrorCount = async () => (await upstreamErrors.get()).values.reduce((sum, value) => sum + value.value, 0);
    const errorsBefore = await upstreamErrorCount();
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => stray.push(reason);
    process.on('unhandledRejection', onStray);
    try {
      const error = await rejection(ask(me.caller, me.conversationId));
      expect(error.code).toBe('TOO_MANY_REQUESTS');
      expect(error.message).toBe('You have used all 1 requests for Demo (offline) today.');
      expect(error.cause.details).toEqual({ limit: 'dailyRequests', model: 'demo', max: 1, remaining: 0, resetsAt: '2026-11-27T21:00:00.000Z' });
      // Long enough for a held request to reach the stub, were it let go.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('unhandledRejection', onStray);
    }
    expect(stub.requests).toHaveLength(1);
    expect(stray).toEqual([]);
    expect(await upstreamErrorCount()).toBe(errorsBefore);
    expect((await me.caller.usage.mine()).find((row) => row.model.id === 'demo')!.today).toMatchObject({ requests: 1, remaining: 0 });
  });

  it('undoes the day\'s request, the lease and the writes alongside when the month refuses after the day accepted', async () => {
    kit.clock.set(new Date('2026-11-26T09:00:00Z'));
    const me = await student({ daily: 5, monthly: 1000 });
    const em = () => kit.db.orm.em.fork();
    const model = await em().findOneOrFail(Model, 'demo');
    const options = { user: me.user, model, reserveTokens: 600, now: kit.clock(), timeZone: kit.config.usageTimeZone };
    await admit(em(), options);
    const marker = `refused-${me.user.id}`;
    const alongside = { sql: 'marked as (update users set display_name = ? where id = ?)', params: [marker, me.user.id] };
    const refused = await admit(em(), { ...options, alongside }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect((refused as LimitExceededError).details).toMatchObject({ limit: 'monthlyTokens', max: 1000, remaining: 400 });
    expect((await em().findOneOrFail(UsageDaily, { user: me.user.id })).requests).toBe(1);
    expect((await em().findOneOrFail(UsageMonthly, { user: me.user.id })).reservedTokens).toBe(600);
    expect(await em().count(TokenLease, { user: me.user.id })).toBe(1);
    expect((await em().findOneOrFail(User, me.user.id)).displayName).not.toBe(marker);

    // Inside a caller's transaction the refusal leaves that transaction usable.
    await em().transactional(async (tx) => {
      await expect(admit(tx, options)).rejects.toBeInstanceOf(LimitExceededError);
      expect((await tx.findOneOrFail(UsageDaily, { user: me.user.id }, { refresh: true })).requests).toBe(1);
    });
  });

  it('reserves nothing when what serves the turn instead is found in the same statement, and counts the request all the same', async () => {
    kit.clock.set(new Date('2026-11-26T10:00:00Z'));
    const me = await student({ daily: 5, monthly: 1000 });
    const em = () => kit.db.orm.em.fork();
    const model = await em().findOneOrFail(Model, 'demo');
    const options = { user: me.user, model, now: kit.clock(), timeZone: kit.config.usageTimeZone };
    const found = { sql: `select 'entry-1' as id, 'Cached.' as answer`, params: [] };
    const none = { sql: `select 'entry-1' as id, 'Cached.' as answer where false`, params: [] };
    const month = async () => (await em().findOne(UsageMonthly, { user: me.user.id }))?.reservedTokens ?? 0;
    const leaseTokens = async () => (await em().find(TokenLease, { user: me.user.id })).map((lease) => Number(lease.tokens)).sort((a, b) => a - b);

    // Found: admitted without tokens, even for a reservation larger than the whole budget.
    const served = await admitUnlessServed(em(), { ...options, reserveTokens: 5000, servedBy: found });
    expect(served.served).toEqual({ id: 'entry-1', answer: 'Cached.' });
    expect(served.reservation.reservedTokens).toBe(0);
    // Not found: the same reservation is refused, and nothing it wrote stays.
    const refused = await admitUnlessServed(em(), { ...options, reserveTokens: 5000, servedBy: none }).catch((error: unknown) => error);
    expect((refused as LimitExceededError).details).toMatchObject({ limit: 'monthlyTokens', max: 1000 });
    // Not found, within the budget: reserved as without it.
    const reserved = await admitUnlessServed(em(), { ...options, reserveTokens: 300, servedBy: none });
    expect(reserved).toMatchObject({ served: null, reservation: { reservedTokens: 300 } });

    expect(await month()).toBe(300);
    expect(await leaseTokens()).toEqual([0, 300]);
    expect((await em().findOneOrFail(UsageDaily, { user: me.user.id })).requests).toBe(2);
  });

  it('lets an admin edit the matrix, audited, and shows analytics by day, model, role and user with a CSV', async () => {
    kit.clock.set(new Date('2026-11-25T09:00:00Z'));
    const admin = await kit.signedIn('admin');
    await admin.caller.rateLimits.admin.set({ modelId: 'demo', role: 'staff', dailyRequestLimit: 42, monthlyTokenLimit: null });
    const matrix = await admin.caller.rateLimits.admin.matrix();
    expect(matrix.find((row) => row.modelId === 'demo')!.roles.staff).toEqual({ dailyRequestLimit: 42, monthlyTokenLimit: null });
    await expect(admin.caller.rateLimits.admin.set({ modelId: 'nope', role: 'staff', dailyRequestLimit: 1, monthlyTokenLimit: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const me = await student();
    await ask(me.caller, me.conversationId);
    const byUser = await admin.caller.usage.admin.analytics({ from: '2026-11-25', to: '2026-11-25', groupBy: 'user' });
    const row = byUser.find((entry) => entry.key === me.user.username)!;
    const reported = stub.requests.at(-1)!.usage!;
    expect(row).toMatchObject({ requests: 1, promptTokens: reported.promptTokens, completionTokens: reported.completionTokens });
    expect((await admin.caller.usage.admin.analytics({ from: '2026-11-25', to: '2026-11-25', groupBy: 'role' })).map((r) => r.key)).toContain('student');
    expect((await admin.caller.usage.admin.analytics({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' })).map((r) => r.key)).toContain('2026-11-25');
    const csv = await admin.caller.usage.admin.csv({ from: '2026-11-25', to: '2026-11-25', groupBy: 'model' });
    expect(csv.content.split('\n')[0]).toBe('model,requests,cache_hits,prompt_tokens,completion_tokens,cost,users');
    expect(csv.filename).toBe('atrium-usage-by-model-2026-11-25-to-2026-11-25.csv');
    await expect(admin.caller.usage.admin.analytics({ from: '2026-12-01', to: '2026-11-01', groupBy: 'day' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
