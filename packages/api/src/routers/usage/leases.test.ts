import { Message, Model, TokenLease, UsageDaily, UsageMonthly, User } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, stubHold, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { INTERRUPTED_MESSAGE, releaseExpiredLeases, renewLease } from './leases.service';
import { admit, settle } from './limits.service';

describe.each(testDatabaseKinds())('leased token reservations on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
    // Priced, so that cost (and its estimated part) is not zero.
    const fork = kit.db.orm.em.fork();
    Object.assign(await fork.findOneOrFail(Model, 'demo'), { inputPricePerMTok: 1, outputPricePerMTok: 4 });
    await fork.flush();
  });
  beforeEach(() => stub.reset());
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  const em = () => kit.db.orm.em.fork();
  async function student(monthlyTokenLimit = 100_000) {
    const me = await kit.signedIn('student');
    const conversation = await me.caller.chat.create({ title: 'Leases', modelId: 'demo' });
    const fork = em();
    const user = await fork.findOneOrFail(User, me.user.id);
    user.limits = { demo: { monthlyTokenLimit } };
    await fork.flush();
    return { ...me, user, conversationId: conversation.id };
  }
  const monthly = async (userId: string) => (await em().findOneOrFail(UsageMonthly, { user: userId, model: 'demo' }));
  const daily = async (userId: string) => (await em().findOneOrFail(UsageDaily, { user: userId, model: 'demo' }));

  it('writes a lease with the admission and removes it with the settlement', async () => {
    const me = await student();
    // The answer is held upstream until the lease has been counted: it no longer waits for its reader.
    const beforeText = stubHold();
    stub.script({ text: 'A complete answer.', usage: { promptTokens: 40, completionTokens: 5 }, holds: [beforeText] });
    const stream = await me.caller.chat.send({ conversationId: me.conversationId, content: 'Hello?', modelId: 'demo' });
    let leasesWhileStreaming = -1;
    for await (const event of stream) {
      if (event.type === 'started') {
        leasesWhileStreaming = await em().count(TokenLease, { user: me.user.id });
        beforeText.release();
      }
    }
    expect(leasesWhileStreaming).toBe(1);
    expect(await em().count(TokenLease, { user: me.user.id })).toBe(0);
    expect(await monthly(me.user.id)).toMatchObject({ tokens: 45, reservedTokens: 0 });
  });

  it('charges what was received when the upstream cuts mid-answer, marked as an estimate in the message and the ledger', async () => {
    const me = await student();
    stub.script({ text: ['The first part ', 'and the second ', 'and never the third.'], failAfterChunks: 2, chunkDelayMs: 100, usage: null });
    const events = [];
    for await (const event of await me.caller.chat.send({ conversationId: me.conversationId, content: 'Tell me everything.', modelId: 'demo' })) events.push(event);
    expect(events.filter((event) => event.type === 'delta')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'failed', message: { content: 'The first part and the second ' } });

    const saved = await em().findOneOrFail(Message, { conversation: me.conversationId, role: 'assistant' });
    expect(saved.metadata).toMatchObject({ usageEstimated: true, error: expect.any(String) });
    expect(saved.completionTokens).toBeGreaterThan(0);
    const day = await daily(me.user.id);
    expect(day.requests).toBe(1);
    expect(day.promptTokens).toBe(saved.promptTokens);
    expect(day.completionTokens).toBe(saved.completionTokens);
    expect(day.estimatedTokens).toBe(saved.promptTokens! + saved.completionTokens!);
    expect(await monthly(me.user.id)).toMatchObject({ tokens: saved.promptTokens! + saved.completionTokens!, reservedTokens: 0 });
    expect(await em().count(TokenLease, { user: me.user.id })).toBe(0);
    expect(saved.costMicros).toBeGreaterThan(0);
    expect(day.estimatedCostMicros).toBe(saved.costMicros);

    // Analytics say how much of the month's cost is estimated.
    const admin = await kit.signedIn('admin');
    const share = await admin.caller.usage.admin.estimated();
    expect(share.estimatedCostMicros).toBeGreaterThanOrEqual(saved.costMicros!);
    expect(share.costMicros).toBeGreaterThan(share.estimatedCostMicros - 1);
    expect(share.share).toBeGreaterThan(0);
    await expect(admin.caller.usage.admin.estimated({ month: '2026-13' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(me.caller.usage.admin.estimated()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('releases the lease of a turn whose process died, charges the streamed text as an estimate, and saves it as interrupted', async () => {
    const me = await student();
    const model = await em().findOneOrFail(Model, 'demo');
    const now = kit.clock();
    const dead = await admit(em(), { user: me.user, model, reserveTokens: 3000, now, timeZone: kit.config.usageTimeZone, conversationId: me.conversationId, promptEstimate: 120, leaseMs: 60_000 });
    const alive = await admit(em(), { user: me.user, model, reserveTokens: 2000, now, timeZone: kit.config.usageTimeZone, leaseMs: 600_000 });
    await renewLease(em(), dead.leaseId!, { expiresAt: new Date(now.getTime() + 60_000), partialText: 'Half of an answer that' });
    expect(await monthly(me.user.id)).toMatchObject({ reservedTokens: 5000 });

    // Not yet: the lease still runs.
    expect(await releaseExpiredLeases(em(), new Date(now.getTime() + 30_000))).toBe(0);
    expect(await releaseExpiredLeases(em(), new Date(now.getTime() + 61_000))).toBe(1);

    const interrupted = await em().findOneOrFail(Message, { conversation: me.conversationId, role: 'assistant' });
    expect(interrupted.content).toBe('Half of an answer that');
    expect(interrupted.metadata).toMatchObject({ interrupted: true, usageEstimated: true, error: INTERRUPTED_MESSAGE });
    expect(interrupted.promptTokens).toBe(120);
    const charged = 120 + interrupted.completionTokens!;
    expect(await monthly(me.user.id)).toMatchObject({ tokens: charged, reservedTokens: 2000 });
    expect(await daily(me.user.id)).toMatchObject({ requests: 2, estimatedTokens: charged });

    // A late settlement of the dead turn (its process came back) gives nothing back twice.
    await settle(em(), dead, { outcome: 'failed' });
    expect(await monthly(me.user.id)).toMatchObject({ reservedTokens: 2000 });
    await settle(em(), alive, { outcome: 'completed', promptTokens: 10, completionTokens: 10, costMicros: 0 });
    expect(await monthly(me.user.id)).toMatchObject({ tokens: charged + 20, reservedTokens: 0 });
    expect(await em().count(TokenLease, { user: me.user.id })).toBe(0);
  });

  it('keeps the lease alive and the partial text saved while an answer streams', async () => {
    stub.script({ text: ['One ', 'two ', 'three ', 'four ', 'five.'], chunkDelayMs: 200 });
    const kitWithFastRenewal = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, lease: { ms: 60_000, renewMs: 20 } } });
    try {
      const other = await kitWithFastRenewal.signedIn('student');
      const conversation = await other.caller.chat.create({ title: 'Renewal', modelId: 'demo' });
      const seen: string[] = [];
      for await (const event of await other.caller.chat.send({ conversationId: conversation.id, content: 'Count to five.', modelId: 'demo' })) {
        if (event.type === 'delta' && seen.length < 1) {
          await expect
            .poll(async () => (await kitWithFastRenewal.db.orm.em.fork().findOne(TokenLease, { user: other.user.id }))?.partialText)
            .toMatch(/^One /);
          seen.push('checked');
        }
      }
      expect(seen).toEqual(['checked']);
      expect(await kitWithFastRenewal.db.orm.em.fork().count(TokenLease, { user: other.user.id })).toBe(0);
    } finally {
      await kitWithFastRenewal.close();
    }
  });
});
