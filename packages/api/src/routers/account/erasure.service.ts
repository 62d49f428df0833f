import { randomBytes } from 'node:crypto';
import { assertKeepsAnAdmin, recordAudit } from '@atrium/auth';
import type { FileStore } from '../../files';
import { Attachment, AuditEvent, ConflictError, DataExport, exportStorageKey, Invite, NotFoundError, User, type EntityManager, type IUser } from '@atrium/db';

/**
 * Erasure (GDPR art. 17), the one path both an admin's deletion and a user's own take.
 *
 * Deleted: everything personal — the account, sessions, conversations and messages (with their
 * summaries), memory, styles, feedback, attachments and their stored files, answer-cache entries
 * made from their questions (shared ones too), the sign-in throttle row of their username, the
 * invite they registered with (other invites' notes lose their name), their monthly budget rows.
 *
 * Kept without a link back, because the institution answers for them: the usage ledger (rows stay
 * in the month's totals with the user removed and only the role kept) and the audit log (actions
 * and times stay; the person is replaced by a tombstone, `erased-user-<random>`, the same for all
 * of their events so they still read as one actor's, and their names are cut out of event data).
 */
export type ErasureActor = { kind: 'admin'; admin: IUser } | { kind: 'self' };

export type ErasureResult = {
  tombstone: string;
  /** Stored files to remove once the transaction has committed (the store may not be the database). */
  storageKeys: string[];
};

export async function eraseUser(em: EntityManager, userId: string, actor: ErasureActor): Promise<ErasureResult> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, { id: userId });
    if (!user) throw new NotFoundError('No such user.');
    if (actor.kind === 'admin') await assertKeepsAnAdmin(tx, actor.admin, user, 'delete');
    else await assertNotLastAdmin(tx, user);

    const tombstone = `erased-user-${randomBytes(6).toString('hex')}`;
    const storageKeys = await collectStoredFiles(tx, user);
    await pseudonymizeAuditTrail(tx, user, tombstone);
    await keepUsageWithoutLink(tx, user);
    await deleteTracesOutsideCascade(tx, user, tombstone);
    if (actor.kind === 'admin') recordAudit(tx, actor.admin.id, 'user.erase', tombstone, { by: 'admin' });
    else tx.create(AuditEvent, { actor: null, actorLabel: tombstone, action: 'user.erase', target: tombstone, data: { by: 'self' } });
    // Everything else that is theirs hangs off the user with `on delete cascade`.
    tx.remove(user);
    await tx.flush();
    return { tombstone, storageKeys };
  });
}

/** A user may delete themself unless they are the last administrator standing. */
async function assertNotLastAdmin(em: EntityManager, user: IUser) {
  if (user.role === 'admin' && (await em.count(User, { role: 'admin', isBanned: false, id: { $ne: user.id } })) === 0) {
    throw new ConflictError('You are the last administrator: make someone else an administrator first.');
  }
}

/** The storage keys of their files, read before the rows cascade away. */
async function collectStoredFiles(em: EntityManager, user: IUser) {
  const attachments = await em.find(Attachment, { user: user.id }, { fields: ['storageKey'] });
  const exports = await em.find(DataExport, { user: user.id }, { fields: ['id'] });
  return [...attachments.map((attachment) => attachment.storageKey), ...exports.map((row) => exportStorageKey(row.id))];
}

/** After the erasure committed: their files (attachments, export archives) leave the file store too. */
export async function removeStoredFiles(files: FileStore | null, storageKeys: string[]) {
  if (!files) return;
  for (const key of storageKeys) await files.delete(key);
}

/** What identifies the person, as it may appear in free text or JSON. */
export function identifiersOf(user: Pick<IUser, 'id' | 'username' | 'email' | 'displayName'>) {
  return [user.id, user.username, user.email ?? '', user.displayName].filter((value) => value.trim().length > 0);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces each identifier in a JSON value (keys and strings, at any depth) with the tombstone.
 * Names match as whole words, so erasing "Ali" leaves "Alice" alone.
 */
export function scrubJson(value: unknown, identifiers: string[], tombstone: string): unknown {
  const pattern = new RegExp(
    identifiers
      .sort((a, b) => b.length - a.length)
      .map((identifier) => `(?<![\\p{L}\\p{N}])${escapeRegExp(identifier)}(?![\\p{L}\\p{N}])`)
      .join('|'),
    'giu',
  );
  const scrub = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(pattern, tombstone);
    if (Array.isArray(node)) return node.map(scrub);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [scrub(key) as string, scrub(child)]));
    }
    return node;
  };
  return scrub(value);
}

/** Audit events by or about them keep their action and time; the person becomes the tombstone. */
async function pseudonymizeAuditTrail(em: EntityManager, user: IUser, tombstone: string) {
  await em.nativeUpdate(AuditEvent, { actor: user.id }, { actor: null, actorLabel: tombstone });
  await em.nativeUpdate(AuditEvent, { target: user.id }, { target: tombstone });
  const identifiers = identifiersOf(user);
  // Candidates found in SQL (as JSON text, quotes and backslashes escaped), rewritten in JavaScript.
  const needles = identifiers.map((identifier) => JSON.stringify(identifier).slice(1, -1).toLowerCase());
  const candidates = await em.execute<{ id: string }[]>(
    `select id from audit_events where ${needles.map(() => 'position(? in lower(data::text)) > 0').join(' or ')}`,
    needles,
  );
  for (const { id } of candidates) {
    const event = await em.findOneOrFail(AuditEvent, { id });
    event.data = scrubJson(event.data, identifiers, tombstone) as Record<string, unknown>;
  }
  await em.flush();
}

/** Their usage stays in the totals (a month's cost must not shrink), tied to a role instead of a person. */
async function keepUsageWithoutLink(em: EntityManager, user: IUser) {
  await em.execute('update usage_daily set user_id = null, erased_role = ? where user_id = ?', [user.role, user.id]);
}

/** Rows that name them by value rather than by a foreign key, so no cascade reaches them. */
async function deleteTracesOutsideCascade(em: EntityManager, user: IUser, tombstone: string) {
  // The throttle keys failures by the username typed at sign-in.
  await em.execute('delete from login_throttles where key = ?', [`user:${user.username.toLowerCase()}`]);
  // The invite they registered with names them through `usedBy`, and its note often does too.
  await em.nativeDelete(Invite, { usedBy: user.id });
  // Other invites stay (the institution's record of who was let in), with their name cut out of notes.
  const identifiers = identifiersOf(user);
  const mentioned = await em.execute<{ id: string }[]>(
    `select id from invites where ${identifiers.map(() => 'position(lower(?) in lower(note)) > 0').join(' or ')}`,
    identifiers,
  );
  for (const { id } of mentioned) {
    const invite = await em.findOneOrFail(Invite, { id });
    invite.note = scrubJson(invite.note, identifiers, tombstone) as string;
  }
  await em.flush();
}
