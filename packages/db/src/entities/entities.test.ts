import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '../config';
import { seed } from '../seed';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing';
import {
  AnswerCache,
  ApiSettings,
  Attachment,
  AuditEvent,
  Conversation,
  ConversationSummary,
  entities,
  Feedback,
  Invite,
  Message,
  Model,
  Preset,
  Session,
  UsageDaily,
  UsageMonthly,
  User,
  UserPreference,
} from './index';

const fakeHash = async (plain: string) => `hash:${plain}`;
let counter = 0;
const makeUser = (em: EntityManager, overrides: Partial<{ username: string; role: 'student' | 'staff' | 'admin' }> = {}) =>
  em.create(User, { username: overrides.username ?? `user${++counter}`, displayName: 'Test User', role: overrides.role ?? 'student' });

describe.each(testDatabaseKinds())('data model on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.orm.em.fork(), { hashPassword: fakeHash });
  });
  afterAll(() => db?.close());

  it('applies the migrations from empty and leaves no schema diff against the entities', async () => {
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(entities.length).toBeGreaterThanOrEqual(22);
  });

  it('stores every JSON column left unset as JSON (an object or array), never as an encoded string', async () => {
    const jsonColumns = [...db.orm.getMetadata().getAll().values()].flatMap((meta) =>
      meta.props.filter((prop) => prop.runtimeType === 'object' || prop.type === 'json' || prop.columnTypes?.[0] === 'jsonb').map((prop) => `${meta.tableName}.${prop.fieldNames[0]}`),
    );
    expect(jsonColumns.sort()).toEqual(expect.arrayContaining(['audit_events.data', 'messages.metadata', 'users.limits', 'users.permissions', 'users.unlocks']));

    const em = db.orm.em.fork();
    const user = makeUser(em);
    const conversation = em.create(Conversation, { user, title: 'JSON' });
    em.create(Message, { conversation, role: 'user', content: 'Hi' });
    em.create(AuditEvent, { action: 'test.json' });
    await em.flush();
    if (!(await em.findOne(ApiSettings, { id: 1 }))) em.create(ApiSettings, { id: 1 });
    await em.flush();

    for (const column of jsonColumns) {
      const [table, field] = column.split('.') as [string, string];
      const rows = await em.execute<{ kind: string }[]>(`select distinct jsonb_typeof("${field}") as kind from "${table}"`);
      expect(rows.map((row) => row.kind), column).toEqual(rows.length ? [column === 'api_settings.key_roles' ? 'array' : 'object'] : []);
    }
    const fresh = await db.orm.em.fork().findOneOrFail(User, { id: user.id });
    expect([fresh.limits, fresh.permissions, fresh.unlocks]).toEqual([{}, {}, {}]);
    expect((await db.orm.em.fork().findOneOrFail(ApiSettings, { id: 1 })).keyRoles).toEqual(expect.arrayContaining(['staff', 'admin']));
  });

  it('refuses a second user with the same username', async () => {
    const em = db.orm.em.fork();
    makeUser(em, { username: 'duplicate' });
    await em.flush();
    const other = db.orm.em.fork();
    makeUser(other, { username: 'duplicate' });
    await expect(other.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('refuses a second preference with the same key for one user', async () => {
    const em = db.orm.em.fork();
    const user = makeUser(em);
    em.create(UserPreference, { user, key: 'language', value: 'Turkish' });
    await em.flush();
    em.create(UserPreference, { user, key: 'language', value: 'English' });
    await expect(em.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('round-trips JSON columns unchanged', async () => {
    const em = db.orm.em.fork();
    const limits = { demo: { dailyRequestLimit: 3, monthlyTokenLimit: null } };
    const metadata = { finishReason: 'stop', aborted: false, latencyMs: 12, nested: { list: [1, 'two', null] } };
    const user = makeUser(em);
    user.limits = limits;
    user.permissions = { attachDocuments: true };
    const conversation = em.create(Conversation, { user, title: 'JSON' });
    const message = em.create(Message, { conversation, role: 'assistant', content: 'hi', metadata });
    await em.flush();

    const fresh = db.orm.em.fork();
    const loadedUser = await fresh.findOneOrFail(User, user.id);
    const loadedMessage = await fresh.findOneOrFail(Message, message.id);
    expect(loadedUser.limits).toEqual(limits);
    expect(loadedUser.permissions).toEqual({ attachDocuments: true });
    expect(loadedMessage.metadata).toEqual(metadata);
  });

  it('keeps the password hash out of serialized users and unloaded by default', async () => {
    const em = db.orm.em.fork();
    const user = makeUser(em);
    user.passwordHash = 'secret-hash';
    await em.flush();
    const loaded = await db.orm.em.fork().findOneOrFail(User, user.id);
    expect(JSON.stringify(loaded)).not.toContain('secret-hash');
    expect(JSON.stringify(loaded)).not.toContain('passwordHash');
  });

  it("deletes every row that is a user's when the user is deleted, and nobody else's", async () => {
    const em = db.orm.em.fork();
    const model = await em.findOneOrFail(Model, 'demo');
    const owned = (user: ReturnType<typeof makeUser>) => {
      const preset = em.create(Preset, { name: 'Mine', systemPromptTemplate: 'Be brief.', owner: user });
      user.activePreset = preset;
      const conversation = em.create(Conversation, { user, preset, model });
      const message = em.create(Message, { conversation, role: 'assistant', content: 'answer' });
      em.create(Attachment, { user, message, type: 'document', name: 'a.pdf', mimeType: 'application/pdf', size: 1, storageKey: 'k' });
      em.create(ConversationSummary, { conversation, summary: 's', messageCountAtUpdate: 1, coveredCount: 1, lastMessage: message });
      em.create(Feedback, { user, conversation, message, messageContent: 'answer', type: 'like' });
      em.create(UserPreference, { user, key: 'k', value: 'v' });
      em.create(Session, { id: `${user.username}-session`.padEnd(64, '0'), user, type: 'active_session', expiresAt: new Date(Date.now() + 60_000) });
      em.create(UsageDaily, { user, date: '2026-11-23', model: 'demo', provider: 'demo', requests: 1 });
      em.create(UsageMonthly, { user, month: '2026-11-01', model: 'demo', tokens: 10 });
      em.create(AnswerCache, { user, cacheKey: 'k', question: 'q', answer: 'a', model: 'demo', expiresAt: new Date(Date.now() + 60_000) });
      return { conversation };
    };
    const doomed = makeUser(em);
    const bystander = makeUser(em);
    owned(doomed);
    owned(bystander);
    const invite = em.create(Invite, { code: `code-${doomed.username}`, createdBy: doomed, usedBy: bystander, isUsed: true });
    const audit = em.create(AuditEvent, { actor: doomed, action: 'user.ban', target: bystander.id });
    await em.flush();

    await db.orm.em.fork().nativeDelete(User, { id: doomed.id });

    const check = db.orm.em.fork();
    const ownedBy = async (userId: string) => ({
      presets: await check.count(Preset, { owner: userId }),
      conversations: await check.count(Conversation, { user: userId }),
      messages: await check.count(Message, { conversation: { user: userId } }),
      attachments: await check.count(Attachment, { user: userId }),
      feedback: await check.count(Feedback, { user: userId }),
      preferences: await check.count(UserPreference, { user: userId }),
      sessions: await check.count(Session, { user: userId }),
      usage: await check.count(UsageDaily, { user: userId }),
      monthly: await check.count(UsageMonthly, { user: userId }),
      cache: await check.count(AnswerCache, { user: userId }),
      summaries: await check.count(ConversationSummary, { conversation: { user: userId } }),
    });
    expect(Object.values(await ownedBy(doomed.id))).toEqual(Array(11).fill(0));
    expect(Object.values(await ownedBy(bystander.id))).toEqual(Array(11).fill(1));
    // The institution's records stay, without the deleted actor.
    expect((await check.findOneOrFail(Invite, invite.id)).createdBy).toBeNull();
    expect((await check.findOneOrFail(AuditEvent, audit.id)).actor).toBeNull();
  });

  it('seeds idempotently: a second run changes nothing and returns no password', async () => {
    const em = db.orm.em.fork();
    const before = { models: await em.count(Model), admins: await em.count(User, { role: 'admin' }) };
    const again = await seed(db.orm.em.fork(), { hashPassword: fakeHash });
    expect(again.admin.created).toBe(false);
    expect(again.admin.password).toBeUndefined();
    expect(await em.count(Model)).toBe(before.models);
    expect(before.admins).toBe(1);
    expect(await db.orm.em.fork().count(User, { role: 'admin' })).toBe(1);
  });
});
