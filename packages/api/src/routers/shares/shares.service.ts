import { isBanActive } from '@atrium/auth';
import { recordAudit } from '@atrium/auth';
import {
  ForbiddenError,
  NotFoundError,
  SharedSnapshot,
  ShareSettings,
  SINGLETON_ID,
  UnauthorizedError,
  ValidationError,
  type EntityManager,
  type ISharedSnapshot,
  type IUser,
  type SnapshotMessage,
} from '@atrium/db';
import { findOwnConversation } from '../chat/conversations.service';
import { refId } from '../chat/chat.shape';
import { ancestorIds, messagesInOrder } from '../chat/tree.service';

/** Links a student may keep open at once: a sign of links made instead of reused beyond it. */
export const MAX_LIVE_SHARES = 200;

async function settingsRow(em: EntityManager) {
  // Fresh each time: a long-lived EntityManager (a script, a test caller) must see an admin's change.
  const row = await em.findOne(ShareSettings, SINGLETON_ID, { refresh: true });
  if (row) return row;
  await em.execute('insert into share_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [SINGLETON_ID, new Date()]);
  return em.findOneOrFail(ShareSettings, SINGLETON_ID);
}

export async function loadShareSettings(em: EntityManager): Promise<{ allowPublicLinks: boolean; updatedAt: Date }> {
  const { allowPublicLinks, updatedAt } = await settingsRow(em);
  return { allowPublicLinks, updatedAt };
}

export async function updateShareSettings(em: EntityManager, admin: IUser, fields: { allowPublicLinks: boolean }) {
  return em.transactional(async (tx) => {
    const row = await settingsRow(tx);
    recordAudit(tx, admin.id, 'shareSettings.update', null, { from: { allowPublicLinks: row.allowPublicLinks }, to: fields });
    row.allowPublicLinks = fields.allowPublicLinks;
    await tx.flush();
    return loadShareSettings(tx);
  });
}

/** What the owner sees of a link: never who opened it (nobody is tracked). */
export type ShareView = {
  id: string;
  conversationId: string | null;
  title: string;
  messageCount: number;
  public: boolean;
  createdAt: Date;
  revokedAt: Date | null;
};

export const shapeShare = (share: ISharedSnapshot, allowPublicLinks: boolean): ShareView => ({
  id: share.id,
  conversationId: refId(share.conversation),
  title: share.title,
  messageCount: share.messages.length,
  // A public link made while public links were allowed needs sign-in again once they are not.
  public: share.isPublic && allowPublicLinks,
  createdAt: share.createdAt,
  revokedAt: share.revokedAt ?? null,
});

/**
 * Copies the branch I am viewing into a snapshot. Only questions and answers are copied, as
 * text: attachments stay private to me, and nothing about my account travels with the link.
 */
export async function createShare(em: EntityManager, user: IUser, input: { conversationId: string; public: boolean }, now: Date) {
  const conversation = await findOwnConversation(em, user, input.conversationId);
  const settings = await loadShareSettings(em);
  if (input.public && !settings.allowPublicLinks) throw new ForbiddenError('Public links are turned off; share with signed-in members instead.');
  const leafId = refId(conversation.activeLeaf);
  const rows = leafId ? await ancestorIds(em, conversation.id, leafId) : [];
  const messages: SnapshotMessage[] = (await messagesInOrder(em, rows.map((row) => row.id)))
    .reverse()
    .filter((message) => (message.role === 'user' || message.role === 'assistant') && message.content.length > 0)
    .map((message) => ({
      role: message.role as SnapshotMessage['role'],
      content: message.content,
      model: message.model ?? null,
      createdAt: message.createdAt.toISOString(),
    }));
  if (messages.length === 0) throw new ValidationError('There is nothing to share in this chat yet.');
  const live = await em.count(SharedSnapshot, { owner: user.id, revokedAt: null });
  if (live >= MAX_LIVE_SHARES) throw new ValidationError(`You have ${MAX_LIVE_SHARES} open links; revoke one first.`);
  const share = em.create(SharedSnapshot, {
    owner: user.id,
    conversation: conversation.id,
    title: conversation.title,
    messages,
    isPublic: input.public,
    createdAt: now,
  });
  await em.flush();
  return shapeShare(share, settings.allowPublicLinks);
}

/** My links, newest first, for one chat or all of them; revoked ones stay listed as revoked. */
export async function listMyShares(em: EntityManager, user: IUser, conversationId: string | undefined) {
  const where: Record<string, unknown> = { owner: user.id };
  if (conversationId) where.conversation = conversationId;
  const [shares, settings] = await Promise.all([
    em.find(SharedSnapshot, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: MAX_LIVE_SHARES }),
    loadShareSettings(em),
  ]);
  return { allowPublicLinks: settings.allowPublicLinks, items: shares.map((share) => shapeShare(share, settings.allowPublicLinks)) };
}

/** Revokes one of my links for good. Someone else's link looks exactly like a missing one. */
export async function revokeShare(em: EntityManager, user: IUser, id: string, now: Date) {
  const share = await em.findOne(SharedSnapshot, { id, owner: user.id });
  if (!share) throw new NotFoundError('No such link.');
  // One statement, so a second revoke keeps the first time.
  await em.nativeUpdate(SharedSnapshot, { id, owner: user.id, revokedAt: null }, { revokedAt: now });
}

/**
 * Opens a link for whoever holds it: any signed-in member of the university, or anybody when the
 * link is public and public links are allowed. The answer carries the snapshot only: nothing of
 * the owner's account and nothing of the viewer's.
 */
export async function openShare(
  em: EntityManager,
  viewer: IUser | null,
  id: string,
  now: Date,
): Promise<{ id: string; title: string; sharedAt: Date; messages: SnapshotMessage[] }> {
  const share = await em.findOne(SharedSnapshot, { id, revokedAt: null });
  if (!share) throw new NotFoundError('This link does not exist or was revoked.');
  if (!viewer || isBanActive(viewer, now)) {
    const { allowPublicLinks } = await loadShareSettings(em);
    if (!(share.isPublic && allowPublicLinks)) {
      if (viewer) throw new ForbiddenError('This account is suspended.');
      throw new UnauthorizedError('Sign in to open this shared chat.');
    }
  }
  return { id: share.id, title: share.title, sharedAt: share.createdAt, messages: share.messages };
}
