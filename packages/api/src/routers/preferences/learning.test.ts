import { Model, UsageDaily, UserPreference } from '@atrium/db';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

type Caller = Awaited<ReturnType<ApiTestKit['signedIn']>>['caller'];

/** What a student says about themselves in one message: one ordinary fact and four that are nobody's business. */
const CONFESSION =
  'I study computer engineering in my second year. I am a practising Muslim, I have type 1 diabetes, I vote for the Green party and I am Kurdish. Can you explain recursion?';
/** The stub, scripted as a careless model would answer the learning call: every fact, sensitive or not. */
const PROPOSALS = JSON.stringify([
  { key: 'Studies', value: 'Computer engineering, second year', category: 'education' },
  { key: 'Religion', value: 'Practising Muslim', category: 'general' },
  { key: 'Health', value: 'Has type 1 diabetes', category: 'preferences' },
  { key: 'Politics', value: 'Votes for the Green party', category: 'interests' },
  { key: 'Origin', value: 'Kurdish', category: 'general' },
]);
const SENSITIVE = /muslim|diabet|green party|kurd/i;

describe('memory that learns from settled conversations', () => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    // Settled at once: the test's after-work runs the learning as soon as a turn is done.
    kit = await createApiTestKit('pglite', { config: { providers: { local: { baseURL: stub.url } }, memorySettleMs: 0 } });
    const em = kit.db.orm.em.fork();
    em.create(Model, { id: 'local-test', provider: 'local', providerModelId: 'llama3', displayName: 'Local engine' });
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

  /** One turn in a titled conversation (so no title call takes a scripted reply), then its after-work. */
  async function turn(caller: Caller, conversationId: string, content: string) {
    for await (const event of await caller.chat.send({ conversationId, content, modelId: 'local-test' })) void event;
    await kit.afterWork();
  }
  const systemPromptOf = (question: string) => {
    const request = stub.requests.find((candidate) => candidate.messages.some((message) => message.role === 'user' && message.content.includes(question)));
    return request?.messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n') ?? '';
  };

  it('suggests only the harmless fact, charges the call, and uses it in prompts only once kept', async () => {
    const admin = await kit.signedIn('admin');
    const me = await kit.signedIn();
    // Off until an admin switches the role on.
    expect(await me.caller.preferences.learning()).toEqual({ enabled: false, autoKeep: false });
    await admin.caller.preferences.admin.setLearning({ learnRoles: ['student'] });
    expect(await me.caller.preferences.learning()).toEqual({ enabled: true, autoKeep: false });
    const { id } = await me.caller.chat.create({ title: 'Recursion' });

    stub.script({ text: 'Recursion is a function calling itself.' }, { text: PROPOSALS, usage: { promptTokens: 300, completionTokens: 80 } });
    await turn(me.caller, id, CONFESSION);

    // The learning call went upstream with the conversation, after the answer.
    expect(stub.requests).toHaveLength(2);
    expect(JSON.stringify(stub.requests[1]!.messages)).toContain('computer engineering');
    // Of five proposals, only the harmless one was stored; nothing sensitive reached the database at all.
    const suggestions = await me.caller.preferences.list();
    expect(suggestions).toEqual([expect.objectContaining({ key: 'Studies', value: 'Computer engineering, second year', source: 'inferred', status: 'suggested' })]);
    const stored = await kit.db.orm.em.fork().find(UserPreference, { user: me.user.id });
    expect(stored.map((row) => `${row.key} ${row.value}`).join(' ')).not.toMatch(SENSITIVE);
    expect(stored.map((row) => row.key)).toEqual(['Studies']);
    // Admitted and charged like a turn: two requests for the model today, the learning call's tokens included.
    const usage = await kit.db.orm.em.fork().findOneOrFail(UsageDaily, { user: me.user.id, model: 'local-test' });
    expect(usage.requests).toBe(2);
    expect(usage.promptTokens).toBeGreaterThanOrEqual(300);

    // A suggestion reaches no prompt; a kept one does.
    stub.reset();
    await turn(me.caller, id, 'What is a base case?');
    expect(systemPromptOf('What is a base case?')).not.toContain('Computer engineering');
    await me.caller.preferences.keep({ id: suggestions[0]!.id, changes: { value: 'Computer engineering, 2nd year' } });
    stub.reset();
    await turn(me.caller, id, 'And tail recursion?');
    expect(systemPromptOf('And tail recursion?')).toContain('Studies: Computer engineering, 2nd year');
  });

  it('learns nothing about a role the admin has not switched on, and keeps a discarded suggestion from coming back', async () => {
    const staff = await kit.signedIn('staff');
    expect((await staff.caller.preferences.learning()).enabled).toBe(false);
    const { id } = await staff.caller.chat.create({ title: 'Off' });
    stub.script({ text: 'Fine.' });
    await turn(staff.caller, id, 'I teach physics.');
    expect(stub.requests).toHaveLength(1);
    expect(await staff.caller.preferences.list()).toEqual([]);

    const me = await kit.signedIn();
    const conversation = await me.caller.chat.create({ title: 'Discard' });
    stub.script({ text: 'Noted.' }, { text: PROPOSALS });
    await turn(me.caller, conversation.id, CONFESSION);
    const [suggestion] = await me.caller.preferences.list();
    // Someone else cannot keep or discard it.
    const other = await kit.signedIn();
    await expect(other.caller.preferences.discard({ id: suggestion!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await me.caller.preferences.discard({ id: suggestion!.id });
    expect(await me.caller.preferences.list()).toEqual([]);

    stub.script({ text: 'Again.' }, { text: PROPOSALS });
    await turn(me.caller, conversation.id, 'Tell me more.');
    expect(await me.caller.preferences.list()).toEqual([]);
  });

  it('keeps what it learns at once, and uses it, for a student who turned on auto-keep', async () => {
    const me = await kit.signedIn();
    expect(await me.caller.preferences.setAutoKeep({ autoKeep: true })).toEqual({ autoKeep: true });
    const { id } = await me.caller.chat.create({ title: 'Auto' });
    stub.script({ text: 'Sure.' }, { text: PROPOSALS });
    await turn(me.caller, id, CONFESSION);
    expect(await me.caller.preferences.list()).toEqual([expect.objectContaining({ key: 'Studies', status: 'kept', isActive: true })]);
    stub.reset();
    await turn(me.caller, id, 'What is memoisation?');
    expect(systemPromptOf('What is memoisation?')).toContain('Studies: Computer engineering, second year');
  });
});
