import { Conversation, Message, NotFoundError, type EntityManager, type IMessage, type IUser } from '@atrium/db';
import { findOwnConversation } from './conversations.service';

/**
 * A conversation is a tree of messages: an edited question or a regenerated answer is a new
 * child of the same parent. The conversation remembers the leaf of the branch being viewed
 * (`activeLeaf`); what is shown, sent upstream and summarised is the path from the root to it.
 */

type BranchRow = { id: string; parent_id: string | null; depth: number };

/**
 * The ids on the path from `leafId` up towards the root, leaf first, at most `max` of them: one
 * recursive statement that follows the parent index, however the tree branches elsewhere.
 */
export async function ancestorIds(em: EntityManager, conversationId: string, leafId: string, max = Number.MAX_SAFE_INTEGER) {
  const rows = await em.execute<BranchRow[]>(
    `with recursive branch (id, parent_id, depth) as (
       select id, parent_id, 1 from messages where id = ? and conversation_id = ?
       union all
       select m.id, m.parent_id, b.depth + 1 from messages m join branch b on m.id = b.parent_id where b.depth < ?
     )
     select id, parent_id, depth from branch order by depth`,
    [leafId, conversationId, Math.min(max, 2_147_483_647)],
  );
  return rows;
}

/** Messages by id, in the order of `ids`. */
export async function messagesInOrder(em: EntityManager, ids: readonly string[], options: { withStyle?: boolean } = {}): Promise<IMessage[]> {
  if (ids.length === 0) return [];
  // The style's name is shown under each answer: joined in the same statement.
  const rows = await em.find(Message, { id: { $in: [...ids] } }, options.withStyle ? { populate: ['preset'] as never } : {});
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is IMessage => row !== undefined);
}

/**
 * One page of the viewed branch, oldest first: up to `limit` messages ending at the active leaf
 * (or, for an earlier page, just above `before`), each with the ids of its versions (itself and
 * its siblings, oldest first) so a fork can offer "2 / 3".
 */
export async function branchPage(
  em: EntityManager,
  user: IUser,
  conversationId: string,
  options: { limit: number; before?: string | null },
) {
  const conversation = await findOwnConversation(em, user, conversationId);
  let start = refId(conversation.activeLeaf);
  if (options.before) {
    const [cursor] = await ancestorIds(em, conversationId, options.before, 1);
    if (!cursor) throw new NotFoundError('No such message in this conversation.');
    start = cursor.parent_id;
  }
  if (!start) return { items: [], nextCursor: null };
  const rows = await ancestorIds(em, conversationId, start, options.limit);
  const messages = (await messagesInOrder(em, rows.map((row) => row.id), { withStyle: true })).reverse();
  const versions = await versionsOf(em, conversationId, rows);
  const oldest = rows.at(-1);
  return {
    items: messages.map((message) => ({ message, versionIds: versions.get(message.id) ?? [message.id] })),
    nextCursor: oldest?.parent_id ? oldest.id : null,
  };
}

/** For each message on a path, its parent's children (or the roots) in creation order. */
async function versionsOf(em: EntityManager, conversationId: string, rows: readonly BranchRow[]) {
  const parents = [...new Set(rows.map((row) => row.parent_id).filter((id): id is string => id !== null))];
  const hasRoot = rows.some((row) => row.parent_id === null);
  const where: Record<string, unknown>[] = [];
  if (parents.length) where.push({ parent: { $in: parents } });
  if (hasRoot) where.push({ parent: null });
  const siblings = where.length
    ? await em.find(Message, { conversation: conversationId, $or: where }, { fields: ['id', 'parent'], orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  const byParent = new Map<string | null, string[]>();
  for (const sibling of siblings) {
    const parentId = refId(sibling.parent);
    byParent.set(parentId, [...(byParent.get(parentId) ?? []), sibling.id]);
  }
  return new Map(rows.map((row) => [row.id, byParent.get(row.parent_id) ?? [row.id]]));
}

/**
 * The leaf a branch leads to when the student turns to it: from `messageId`, down through the
 * newest child at each step (what was written last is what they most likely want back).
 */
export async function newestLeafUnder(em: EntityManager, messageId: string): Promise<string> {
  const rows = await em.execute<{ id: string }[]>(
    `with recursive down (id, depth) as (
       select id, 0 from messages where id = ?
       union all
       select (select c.id from messages c where c.parent_id = d.id order by c.created_at desc, c.id desc limit 1), d.depth + 1
       from down d where d.id is not null
     )
     select id from down where id is not null order by depth desc limit 1`,
    [messageId],
  );
  return rows[0]?.id ?? messageId;
}

async function ownMessage(em: EntityManager, user: IUser, conversationId: string, messageId: string) {
  await findOwnConversation(em, user, conversationId);
  const message = await em.findOne(Message, { id: messageId, conversation: conversationId });
  if (!message) throw new NotFoundError('No such message in this conversation.');
  return message;
}

/** Shows the branch through `messageId` (a version at a fork): the viewed leaf becomes the newest leaf under it. */
export async function switchBranch(em: EntityManager, user: IUser, conversationId: string, messageId: string) {
  await ownMessage(em, user, conversationId, messageId);
  const leaf = await newestLeafUnder(em, messageId);
  await em.nativeUpdate(Conversation, { id: conversationId, user: user.id }, { activeLeaf: leaf });
  return { activeLeafId: leaf };
}

/**
 * Deletes one version and everything that follows it (the foreign key cascades down the
 * branch), leaving its siblings alone. If the viewed branch went with it, the view moves to the
 * newest remaining branch at the same fork, or back to the parent when none is left.
 */
export async function deleteBranch(em: EntityManager, user: IUser, conversationId: string, messageId: string) {
  return em.transactional(async (tx) => {
    const message = await ownMessage(tx, user, conversationId, messageId);
    const parentId = refId(message.parent);
    await tx.nativeDelete(Message, { id: messageId });
    // The viewed leaf is set to null by the foreign key when it was inside the deleted branch.
    const [conversation] = await tx.execute<{ active_leaf_id: string | null }[]>(
      'select active_leaf_id from conversations where id = ?',
      [conversationId],
    );
    let activeLeafId = conversation?.active_leaf_id ?? null;
    if (!activeLeafId) {
      const [sibling] = await tx.execute<{ id: string }[]>(
        `select id from messages where conversation_id = ? and ${parentId ? 'parent_id = ?' : 'parent_id is null'}
         order by created_at desc, id desc limit 1`,
        parentId ? [conversationId, parentId] : [conversationId],
      );
      const start = sibling?.id ?? parentId;
      activeLeafId = start ? await newestLeafUnder(tx, start) : null;
      await tx.nativeUpdate(Conversation, { id: conversationId }, { activeLeaf: activeLeafId });
    }
    return { activeLeafId };
  });
}

export const refId = (ref: unknown) => (ref as { id: string } | null | undefined)?.id ?? null;
