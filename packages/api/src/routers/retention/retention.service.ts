import { recordAudit } from '@atrium/auth';
import {
  Attachment,
  AuditEvent,
  Conversation,
  DataExport,
  exportStorageKey,
  RetentionSettings,
  SINGLETON_ID,
  type EntityManager,
  type IUser,
  type RetentionRemoved,
} from '@atrium/db';
import type { FileStore } from '../../files';
import { removeFiles } from '../attachments/attachments.service';
import type { RetentionSettingsInput } from './retention.schema';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Conversations are removed this many at a time, so one run never holds a long transaction. */
const BATCH = 100;

/** The hourly run's minute (UTC), shared by the job's cron and the admin page's "next run". */
export const RETENTION_MINUTE = 27;

/** The singleton row; inserted with the column defaults if no seed ever ran. */
export async function retentionRow(em: EntityManager) {
  // Always from the database: the job writes the last run's numbers behind any cached copy.
  const row = await em.findOne(RetentionSettings, SINGLETON_ID, { refresh: true });
  if (row) return row;
  await em.execute('insert into retention_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [SINGLETON_ID, new Date()]);
  return em.findOneOrFail(RetentionSettings, SINGLETON_ID);
}

/** How long a finished archive stays downloadable (hours), as an administrator set it. */
export async function exportHours(em: EntityManager): Promise<number> {
  return (await retentionRow(em)).exportHours;
}

/** When the hourly job runs next after `now`. */
export function nextRetentionRun(now: Date) {
  const next = new Date(now);
  next.setUTCMinutes(RETENTION_MINUTE, 0, 0);
  if (next <= now) next.setTime(next.getTime() + HOUR);
  return next;
}

/** The retention settings as admins see them, with the last and next run. */
export type RetentionView = {
  conversationDays: number | null;
  exportHours: number;
  auditDays: number | null;
  lastRunAt: Date | null;
  lastRunRemoved: RetentionRemoved | null;
  nextRunAt: Date;
  updatedAt: Date;
};

export async function loadRetention(em: EntityManager, now: Date): Promise<RetentionView> {
  const row = await retentionRow(em);
  return {
    conversationDays: row.conversationDays ?? null,
    exportHours: row.exportHours,
    auditDays: row.auditDays ?? null,
    lastRunAt: row.lastRunAt ?? null,
    // Nothing to report before the first run.
    lastRunRemoved: row.lastRunAt ? row.lastRunRemoved : null,
    nextRunAt: nextRetentionRun(now),
    updatedAt: row.updatedAt,
  };
}

/**
 * An administrator's change, audited. A new export lifetime applies to archives already built
 * too (their expiry moves with it), so shortening it takes effect at the next run.
 */
export async function updateRetention(em: EntityManager, admin: IUser, input: RetentionSettingsInput, now: Date) {
  await em.transactional(async (tx) => {
    const row = await retentionRow(tx);
    const from = { conversationDays: row.conversationDays ?? null, exportHours: row.exportHours, auditDays: row.auditDays ?? null };
    recordAudit(tx, admin.id, 'retention.update', null, { from, to: input });
    tx.assign(row, input);
    await tx.flush();
    if (from.exportHours !== input.exportHours) {
      await tx.execute(`update data_exports set expires_at = finished_at + (? * interval '1 hour') where status = 'ready' and finished_at is not null`, [
        input.exportHours,
      ]);
    }
  });
  return loadRetention(em, now);
}

/**
 * One retention run: removes conversations untouched for longer than their period (with their
 * stored files), archives past their download time (file first, then row), and audit events
 * older than theirs; records what it removed. Usage rows are a ledger of their own and are not
 * touched: deleting chats never gives quota back.
 */
export async function applyRetention(em: EntityManager, files: FileStore | null, now: Date, signal?: AbortSignal): Promise<RetentionRemoved> {
  const settings = await retentionRow(em);
  const removed: RetentionRemoved = { conversations: 0, exports: 0, auditEvents: 0 };
  if (settings.conversationDays) {
    removed.conversations = await deleteStaleConversations(em, files, new Date(now.getTime() - settings.conversationDays * DAY), signal);
  }
  removed.exports = await deleteExpiredExports(em, files, now);
  if (settings.auditDays) {
    removed.auditEvents = await em.nativeDelete(AuditEvent, { createdAt: { $lt: new Date(now.getTime() - settings.auditDays * DAY) } });
  }
  await em.nativeUpdate(RetentionSettings, { id: SINGLETON_ID }, { lastRunAt: now, lastRunRemoved: removed });
  return removed;
}

async function deleteStaleConversations(em: EntityManager, files: FileStore | null, before: Date, signal?: AbortSignal) {
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const stale = await em.find(Conversation, { updatedAt: { $lt: before } }, { fields: ['id', 'user'], orderBy: { updatedAt: 'asc', id: 'asc' }, limit: BATCH });
    if (!stale.length) return total;
    for (const conversation of stale) {
      const userId = (conversation.user as { id: string }).id;
      const attachments = await em.find(Attachment, { message: { conversation: conversation.id } }, { fields: ['storageKey', 'thumbnailKey', 'size'] });
      // Only what is still stale at the moment of deleting: a message sent meanwhile keeps it.
      const deleted = await em.nativeDelete(Conversation, { id: conversation.id, updatedAt: { $lt: before } });
      if (deleted && files && attachments.length) await removeFiles(em, files, attachments, userId);
      total += deleted;
    }
    em.clear();
  }
}

/** Archives past their download time: the stored file first, then the row. */
export async function deleteExpiredExports(em: EntityManager, files: FileStore | null, now: Date) {
  const expired = await em.find(DataExport, { expiresAt: { $lte: now } }, { fields: ['id'] });
  if (files) for (const row of expired) await files.delete(exportStorageKey(row.id));
  if (expired.length) await em.nativeDelete(DataExport, { id: { $in: expired.map((row) => row.id) } });
  return expired.length;
}
