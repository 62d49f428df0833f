import { Model, UsageDaily, User } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Caller = ReturnType<ApiTestKit['callerFor']>;
type SendEvent = Awaited<ReturnType<Caller['chat']['send']>> extends AsyncIterable<infer E> ? E : never;

const MODEL_ID = 'priced-local';

describe.each(testDatabaseKinds())('what each answer shows, and my usage, on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { local: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: MODEL_ID, provider: 'local', providerModelId: 'llama3', displayName: 'Priced local', inputPricePerMTok: 2, outputPricePerMTok: 4 });
    await em.flush();
  });
  beforeEach(async () => {
    await kit.afterWork();
    stub.reset();
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });

  /** A caller for the user as the database holds them now (a request loads its user afresh). */
  const fresh = async (id: string) => kit.callerFor(await kit.db.orm.em.fork().findOneOrFail(User, id));

  async function ask(caller: Caller, content: string, options: { presetId?: string } = {}) {
    const events: SendEvent[] = [];
    for await (const event of await caller.chat.send({ content, modelId: MODEL_ID, ...options })) events.push(event);
    const started = events[0] as Extract<SendEvent, { type: 'started' }>;
    const last = events.at(-1) as Extract<SendEvent, { type: 'finished' }>;
    await kit.afterWork();
    await stub.settled();
    return { conversationId: started.conversation.id, message: last.message! };
  }

  it('shows model, style and marks to everyone, but tokens and cost only to roles the admin allows', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn('student');
    const staff = await kit.signedIn('staff');
    const style = await student.caller.presets.create({ name: 'Concise', systemPromptTemplate: 'Answer in one sentence.' });

    stub.script({ text: 'Mitochondria make ATP.', usage: { promptTokens: 300, completionTokens: 20 } });
    const answer = await ask(student.caller, 'What do mitochondria do?', { presetId: style.id });
    // Off by default for students: not in the stream, not in the saved list, not in the export.
    expect(answer.message).toMatchObject({ model: MODEL_ID, style: { id: style.id, name: 'Concise' }, estimated: false, aborted: false, cacheHit: false, usage: null });
    expect(answer.message).not.toHaveProperty('promptTokens');
    const [, saved] = (await student.caller.chat.messages({ conversationId: answer.conversationId })).items;
    expect(saved).toMatchObject({ role: 'assistant', model: MODEL_ID, style: { name: 'Concise' }, usage: null });
    const exported = await student.caller.chat.export({ id: answer.conversationId, format: 'json' });
    expect(exported.content).not.toContain('promptTokens');

    // Staff see them by default.
    stub.script({ text: 'Ribosomes build proteins.', usage: { promptTokens: 250, completionTokens: 10 } });
    const staffAnswer = await ask(staff.caller, 'What do ribosomes do?');
    expect(staffAnswer.message).toMatchObject({ style: null, usage: { promptTokens: 250, completionTokens: 10, costMicros: 250 * 2 + 10 * 4 } });

    // An admin lets students see them: the same saved answer now carries its numbers.
    await expect(student.caller.usage.admin.updateTransparency({ answerUsageRoles: ['student'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.caller.usage.admin.updateTransparency({ answerUsageRoles: ['root' as 'admin'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await admin.caller.usage.admin.updateTransparency({ answerUsageRoles: ['admin', 'student', 'staff'] })).toMatchObject({
      answerUsageRoles: ['student', 'staff', 'admin'],
    });
    const [, allowed] = (await student.caller.chat.messages({ conversationId: answer.conversationId })).items;
    expect(allowed!.usage).toEqual({ promptTokens: 300, completionTokens: 20, costMicros: 300 * 2 + 20 * 4 });
    expect((await student.caller.chat.export({ id: answer.conversationId, format: 'json' })).content).toContain('"promptTokens": 300');

    // A user's own permission beats the role: withheld for this student only.
    await admin.caller.users.setPermissions({ id: student.user.id, permissions: { seeAnswerUsage: false } });
    const withheld = await fresh(student.user.id);
    expect((await withheld.chat.messages({ conversationId: answer.conversationId })).items[1]!.usage).toBeNull();
    expect((await withheld.usage.month()).showCost).toBe(false);

    await admin.caller.usage.admin.updateTransparency({ answerUsageRoles: ['staff', 'admin'] });
    expect(await admin.caller.usage.admin.transparency()).toMatchObject({ answerUsageRoles: ['staff', 'admin'] });
  });

  it('marks an answer whose tokens the provider did not report as estimated, and one replayed from the cache as cached', async () => {
    const admin = await kit.signedIn('admin');
    await admin.caller.cache.updateSettings({ enabled: true, ttlSeconds: 3600, shared: false });
    const staff = await kit.signedIn('staff');

    stub.script({ text: 'Water boils at 100 degrees Celsius at sea level.', usage: null });
    const estimated = await ask(staff.caller, 'At what temperature does water boil?');
    expect(estimated.message).toMatchObject({ estimated: true, cacheHit: false, usage: { promptTokens: expect.any(Number), completionTokens: expect.any(Number) } });

    const replayed = await ask(staff.caller, 'At what temperature does water boil?');
    // No tokens were used for a replay: the mark says why there are no numbers.
    expect(replayed.message).toMatchObject({ cacheHit: true, estimated: false, usage: null });
  });

  it('gives me my own requests and tokens per day and model this month, with what remains and when it resets; never anyone else’s', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn('student');
    const other = await kit.signedIn('student');
    await admin.caller.rateLimits.admin.set({ modelId: MODEL_ID, role: 'student', dailyRequestLimit: 10, monthlyTokenLimit: 5000 });

    const thisMonth = await me.caller.usage.month();
    const today = thisMonth.today;
    const month = thisMonth.month;
    const earlier = `${month}-01` === today ? today : `${month}-01`;
    const em = kit.db.orm.em.fork();
    em.create(UsageDaily, { user: me.user.id, date: today, model: MODEL_ID, provider: 'local', requests: 3, promptTokens: 900, completionTokens: 100, costMicros: 2200 });
    if (earlier !== today) {
      em.create(UsageDaily, { user: me.user.id, date: earlier, model: MODEL_ID, provider: 'local', requests: 1, promptTokens: 40, completionTokens: 10, costMicros: 120 });
    }
    em.create(UsageDaily, { user: other.user.id, date: today, model: MODEL_ID, provider: 'local', requests: 7, promptTokens: 7000, completionTokens: 700, costMicros: 99_000 });
    await em.execute('insert into usage_monthly (id, user_id, month, model, tokens, reserved_tokens) values (gen_random_uuid(), ?, ?, ?, ?, 0)', [
      me.user.id,
      `${month}-01`,
      MODEL_ID,
      earlier !== today ? 1050 : 1000,
    ]);
    await em.flush();

    const mine = await me.caller.usage.month();
    expect(mine.days[0]).toBe(`${month}-01`);
    expect(mine.days).toContain(today);
    expect(mine.current).toBe(true);
    expect(mine.showCost).toBe(false);
    expect(mine.models).toEqual([{ id: MODEL_ID, displayName: 'Priced local' }]);
    expect(mine.rows.find((row) => row.date === today)).toEqual({
      date: today,
      model: MODEL_ID,
      requests: 3,
      cacheHits: 0,
      promptTokens: 900,
      completionTokens: 100,
      costMicros: null,
    });
    // The other student's 7 requests are nowhere in mine.
    expect(mine.rows.reduce((sum, row) => sum + row.requests, 0)).toBe(earlier !== today ? 4 : 3);
    const limits = mine.limits.find((entry) => entry.model.id === MODEL_ID)!;
    expect(limits.today).toMatchObject({ requests: 3, limit: 10, remaining: 7 });
    expect(limits.month).toMatchObject({ limit: 5000, remaining: 5000 - (earlier !== today ? 1050 : 1000) });
    expect(limits.today.resetsAt.getTime()).toBeGreaterThan(kit.clock().getTime());
    expect(limits.month.resetsAt.getTime()).toBeGreaterThanOrEqual(limits.today.resetsAt.getTime());

    const theirs = await other.caller.usage.month();
    expect(theirs.rows.map((row) => row.requests)).toEqual([7]);

    // Another month holds nothing of this one; a malformed month is refused.
    expect((await me.caller.usage.month({ month: '2001-02' })).rows).toEqual([]);
    expect((await me.caller.usage.month({ month: '2001-02' })).days).toHaveLength(28);
    await expect(me.caller.usage.month({ month: '2026-13' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(kit.anonymous().usage.month()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
