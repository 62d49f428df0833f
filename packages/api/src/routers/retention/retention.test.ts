import { Readable } from 'node:stream';
import { Attachment, AuditEvent, Conversation, DataExport, exportStorageKey, Message, UsageDaily } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { afterWorkSettled } from '../chat/chat.service';
import { buildExportJob } from '../account/export.job';
import { retentionJob } from './retention.job';
import { nextRetentionRun } from './retention.service';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function drain(stream: AsyncIterable<unknown>) {
  const events: { type: string; [key: string]: unknown }[] = [];
  for await (const event of stream) events.push(event as (typeof events)[number]);
  return events;
}

describe('nextRetentionRun', () => {
  it('is the next :27 of an hour, never the current instant', () => {
    expect(nextRetentionRun(new Date('2026-11-29T10:05:00Z'))).toEqual(new Date('2026-11-29T10:27:00Z'));
    expect(nextRetentionRun(new Date('2026-11-29T10:27:00Z'))).toEqual(new Date('2026-11-29T11:27:00Z'));
    expect(nextRetentionRun(new Date('2026-11-29T23:40:00Z'))).toEqual(new Date('2026-11-30T00:27:00Z'));
  });
});

describe.each(testDatabaseKinds())('retention on %s', (kind) => {
  let stub: StubUpstream;
  let kit: ApiTestKit;
  beforeAll(async () => {
    stub = await startStubUpstream();
    kit = await createApiTestKit(kind, { config: { providers: { demo: { baseURL: stub.url } }, llm: { timeoutMs: 5000 } } });
  });
  afterAll(async () => {
    await kit?.close();
    await stub?.close();
  });
  const em = () => kit.db.orm.em.fork();
  const files = () => kit.config.files!;
  const run = async () => {
    await kit.config.jobs.enqueue(retentionJob, {});
    await kit.jobs.drain({ only: [retentionJob] });
    expect(await kit.jobs.list({ status: 'failed', name: retentionJob.name, limit: 1 })).toEqual([]);
  };
  const chat = async (caller: Awaited<ReturnType<ApiTestKit['signedIn']>>['caller'], content: string, conversationId?: string) => {
    const events = await drain(await caller.chat.send({ content, modelId: 'demo', ...(conversationId ? { conversationId } : {}) }));
    await afterWorkSettled();
    return (events[0] as unknown as { conversation: { id: string } }).conversation.id;
  };
  const usageOf = async (userId: string) =>
    (await em().find(UsageDaily, { user: userId }, { orderBy: { date: 'asc', model: 'asc' } })).map(({ requests, promptTokens, completionTokens, costMicros }) => ({
      requests,
      promptTokens,
      completionTokens,
      costMicros,
    }));

  it('is administrators only, validated, and off for conversations and audit events by default', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn();
    await expect(student.caller.retention.admin.get()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(student.caller.retention.admin.update({ conversationDays: 1, exportHours: 1, auditDays: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await admin.caller.retention.admin.get()).toMatchObject({
      conversationDays: null,
      exportHours: 24,
      auditDays: null,
      lastRunAt: null,
      lastRunRemoved: null,
      nextRunAt: nextRetentionRun(kit.clock()),
    });
    for (const bad of [
      { conversationDays: 0, exportHours: 24, auditDays: null },
      { conversationDays: null, exportHours: 0, auditDays: null },
      { conversationDays: null, exportHours: 24, auditDays: 1.5 },
    ]) {
      await expect(admin.caller.retention.admin.update(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }

    // Off: a year-old conversation stays.
    const conversationId = await chat(student.caller, 'Kept while retention is off');
    kit.clock.advance(400 * DAY);
    await run();
    expect(await em().count(Conversation, { id: conversationId })).toBe(1);
    expect((await admin.caller.retention.admin.get()).lastRunRemoved).toEqual({ conversations: 0, exports: 0, auditEvents: 0 });
    await student.caller.chat.delete({ id: conversationId });
  });

  it('deletes conversations untouched for N days with their files, and never gives usage back', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn();
    const other = await kit.signedIn();
    await admin.caller.retention.admin.update({ conversationDays: 30, exportHours: 24, auditDays: null });
    expect(await em().count(AuditEvent, { action: 'retention.update', actor: admin.user.id })).toBe(1);

    const stale = await chat(student.caller, 'Old question');
    const othersStale = await chat(other.caller, 'Another old question');
    const fork = em();
    const storageKey = `attachments/test/retention-${kind}`;
    await files().put(storageKey, Readable.from([Buffer.from('%PDF old notes')]));
    const question = await fork.findOneOrFail(Message, { conversation: stale, role: 'user' });
    fork.create(Attachment, { user: student.user.id, message: question, type: 'document', name: 'old.pdf', mimeType: 'application/pdf', size: 14, storageKey });
    await fork.flush();

    kit.clock.advance(20 * DAY);
    const touched = await chat(student.caller, 'A chat from day 20');
    // A new message 20 days in keeps an older conversation alive for another 30 days.
    const revived = await chat(other.caller, 'Day one');
    kit.clock.advance(-20 * DAY);
    await chat(other.caller, 'Back to it', revived);
    kit.clock.advance(20 * DAY);
    await chat(other.caller, 'Back to it on day 20', revived);
    const usageBefore = await usageOf(student.user.id);
    expect(usageBefore.reduce((sum, row) => sum + row.requests, 0)).toBe(2);

    kit.clock.advance(11 * DAY);
    await run();
    expect(await em().count(Conversation, { id: { $in: [stale, othersStale] } })).toBe(0);
    expect(await em().count(Conversation, { id: { $in: [touched, revived] } })).toBe(2);
    expect(await files().exists(storageKey)).toBe(false);
    expect(await em().count(Attachment, { storageKey })).toBe(0);
    // The usage ledger does not hang off conversations: what was spent stays spent.
    expect(await usageOf(student.user.id)).toEqual(usageBefore);
    const shown = await admin.caller.retention.admin.get();
    expect(shown).toMatchObject({ conversationDays: 30, lastRunAt: kit.clock(), lastRunRemoved: { conversations: 2, exports: 0, auditEvents: 0 } });
    expect(shown.nextRunAt).toEqual(nextRetentionRun(kit.clock()));
    await admin.caller.retention.admin.update({ conversationDays: null, exportHours: 24, auditDays: null });
  });

  it('expires archives after the hours set, moving the expiry of ones already built, and removes file and row', async () => {
    const admin = await kit.signedIn('admin');
    const student = await kit.signedIn();
    const requested = await student.caller.account.requestExport();
    await kit.jobs.drain({ only: [buildExportJob] });
    const built = await em().findOneOrFail(DataExport, { id: requested.id });
    expect(built.expiresAt!.getTime() - built.finishedAt!.getTime()).toBe(24 * HOUR);

    await admin.caller.retention.admin.update({ conversationDays: null, exportHours: 2, auditDays: null });
    expect((await em().findOneOrFail(DataExport, { id: requested.id })).expiresAt!.getTime() - built.finishedAt!.getTime()).toBe(2 * HOUR);
    expect((await kit.callerFor(student.user).account.exportStatus()).expiresAfterHours).toBe(2);
    kit.clock.advance(HOUR);
    await run();
    expect(await files().exists(exportStorageKey(requested.id))).toBe(true);

    kit.clock.advance(HOUR + 1);
    expect((await kit.callerFor(student.user).account.exportStatus()).latest).toMatchObject({ status: 'expired', downloadUrl: null });
    await run();
    expect(await files().exists(exportStorageKey(requested.id))).toBe(false);
    expect(await em().count(DataExport, { id: requested.id })).toBe(0);
    expect((await admin.caller.retention.admin.get()).lastRunRemoved).toMatchObject({ exports: 1 });

    // A new archive lives for the new period.
    const next = await student.caller.account.requestExport();
    await kit.jobs.drain({ only: [buildExportJob] });
    const fresh = await em().findOneOrFail(DataExport, { id: next.id });
    expect(fresh.expiresAt!.getTime() - fresh.finishedAt!.getTime()).toBe(2 * HOUR);
    await admin.caller.retention.admin.update({ conversationDays: null, exportHours: 24, auditDays: null });
  });

  it('deletes audit events older than N days and keeps newer ones', async () => {
    const admin = await kit.signedIn('admin');
    const fork = em();
    const old = fork.create(AuditEvent, { actor: admin.user.id, action: 'test.old', target: null, data: {}, createdAt: new Date(kit.clock().getTime() - 91 * DAY) });
    const recent = fork.create(AuditEvent, { actor: admin.user.id, action: 'test.recent', target: null, data: {}, createdAt: new Date(kit.clock().getTime() - 89 * DAY) });
    await fork.flush();
    await admin.caller.retention.admin.update({ conversationDays: null, exportHours: 24, auditDays: 90 });
    await run();
    expect(await em().count(AuditEvent, { id: old.id })).toBe(0);
    expect(await em().count(AuditEvent, { id: recent.id })).toBe(1);
    expect((await admin.caller.retention.admin.get()).lastRunRemoved!.auditEvents).toBeGreaterThanOrEqual(1);
    await admin.caller.retention.admin.update({ conversationDays: null, exportHours: 24, auditDays: null });
  });
});
