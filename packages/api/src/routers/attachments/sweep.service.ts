import { Attachment, type EntityManager } from '@atrium/db';
import { PostgresFileStore, type FileStore } from '../../files';
import { removeFiles } from './attachments.service';

const HOUR = 60 * 60 * 1000;
/** Files younger than this are left alone: their upload may still be on its way to a row. */
export const ORPHAN_GRACE_MS = HOUR;
/** Attachments uploaded but never sent with a message are dropped after a day. */
export const DRAFT_TTL_MS = 24 * HOUR;
const BATCH = 200;

/**
 * Removes stored attachment files no row refers to (a crash between storing and recording, a
 * deletion whose file removal failed), writes a crashed process never finished, and drafts
 * never sent. Safe on every replica at once: each step is idempotent.
 */
export async function sweepFiles(em: EntityManager, files: FileStore, now: Date) {
  const cutoff = new Date(now.getTime() - ORPHAN_GRACE_MS);
  const drafts = await em.find(
    Attachment,
    { message: null, createdAt: { $lt: new Date(now.getTime() - DRAFT_TTL_MS) } },
    { fields: ['id', 'user', 'storageKey', 'thumbnailKey', 'size'] },
  );
  for (const draft of drafts) {
    if (await em.nativeDelete(Attachment, { id: draft.id, message: null })) {
      await removeFiles(em, files, [draft], (draft.user as { id: string }).id);
    }
  }

  let orphans = 0;
  let batch: string[] = [];
  const flush = async () => {
    const ids = [...new Set(batch.map(attachmentIdOf).filter((id): id is string => id !== null))];
    const known = new Set(ids.length ? (await em.find(Attachment, { id: { $in: ids } }, { fields: ['id'] })).map((row) => row.id) : []);
    for (const key of batch) {
      const id = attachmentIdOf(key);
      if (id && known.has(id)) continue;
      await files.delete(key);
      orphans++;
    }
    batch = [];
  };
  for await (const file of files.list('attachments/')) {
    if (file.createdAt >= cutoff) continue;
    batch.push(file.key);
    if (batch.length >= BATCH) await flush();
  }
  await flush();

  const incomplete = files instanceof PostgresFileStore ? await files.sweepIncomplete(cutoff) : 0;
  return { drafts: drafts.length, orphans, incomplete };
}

/** `attachments/<user>/<attachment>[.thumb]` → the attachment id. */
const attachmentIdOf = (key: string) => /^attachments\/[^/]+\/([0-9a-f-]{36})(?:\.[a-z]+)?$/.exec(key)?.[1] ?? null;
