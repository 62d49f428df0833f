import { Conversation, directSql, Message, NotFoundError, type EntityManager, type IMessage, type IUser, type MessageMetadata } from '@atrium/db';
import type { AttachmentView } from '../attachments/attachments.service';
import { refId, shapeMessageFields } from './chat.shape';
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
export async function messagesInOrder(em: EntityManager, ids: readonly string[]): Promise<IMessage[]> {
  if (ids.length === 0) return [];
  const rows = await em.find(Message, { id: { $in: [...ids] } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is IMessage => row !== undefined);
}

/** A row of the page statement: one message of the branch, with its versions and attachments. */
type PageRow = {
  cursor_found: boolean;
  id: string | null;
  parent_id: string | null;
  role: IMessage['role'];
  content: string;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost_micros: string | number | null;
  metadata: MessageMetadata;
  created_at: string | Date;
  preset_id: string | null;
  preset_name: string | null;
  version_ids: string[];
  attachments: (Omit<AttachmentView, 'createdAt'> & { createdAt: string })[] | null;
};

/**
 * The page in one statement: the conversation (mine, else no row at all), where the page starts
 * (the viewed leaf, or the parent of `before`, which must be a message of this conversation), the
 * walk up the parent index, and for each message its style, its versions (its parent's children,
 * or the conversation's roots) and its attachments. With no message to show, one row of nulls
 * still says the conversation and the cursor were found. Rows are read as they are: nothing goes
 * through the ORM's identity map, as nothing is changed.
 */
const PAGE_SQL = `with recursive
  start as (
    select case when ?::uuid is null then c.active_leaf_id else cur.parent_id end as id,
           (?::uuid is null or cur.id is not null) as cursor_found
    from conversations c
    left join messages cur on cur.id = ?::uuid and cur.conversation_id = c.id
    where c.id = ? and c.user_id = ?
  ),
  branch (id, parent_id, depth) as (
    select m.id, m.parent_id, 1 from start s join messages m on m.id = s.id and m.conversation_id = ?
    union all
    select m.id, m.parent_id, b.depth + 1 from branch b join messages m on m.id = b.parent_id where b.depth < ?
  )
select s.cursor_found, m.id, m.parent_id, m.role, m.content, m.model, m.prompt_tokens, m.completion_tokens, m.cost_micros,
  m.metadata, m.created_at, p.id as preset_id, p.name as preset_name,
  case when m.parent_id is null
    then (select json_agg(v.id order by v.created_at, v.id) from messages v where v.conversation_id = ? and v.parent_id is null)
    else (select json_agg(v.id order by v.created_at, v.id) from messages v where v.parent_id = m.parent_id)
  end as version_ids,
  (select json_agg(json_build_object(
      'id', a.id, 'type', a.type, 'name', a.name, 'mimeType', a.mime_type, 'size', a.size, 'status', a.status,
      'failure', a.failure, 'hasThumbnail', a.thumbnail_key is not null and a.thumbnail_key <> '', 'width', a.width,
      'height', a.height, 'messageId', a.message_id, 'createdAt', a.created_at) order by a.created_at, a.id)
    from attachments a where a.message_id = m.id and a.user_id = ?) as attachments
from start s
left join branch b on true
left join messages m on m.id = b.id
left join presets p on p.id = m.preset_id
order by b.depth desc`;

/**
 * One page of the viewed branch, oldest first: up to `limit` messages ending at the active leaf
 * (or, for an earlier page, just above `before`), each with the ids of its versions (itself and
 * its siblings, oldest first) so a fork can offer "2 / 3", and its attachments. One statement
 * (PAGE_SQL), however deep the page: the walk follows the parent index from where it starts.
 */
export async function branchPage(
  em: EntityManager,
  user: IUser,
  conversationId: string,
  options: { limit: number; before?: string | null; showUsage: boolean },
) {
  const before = options.before ?? null;
  const rows = await directSql(em).execute<PageRow>(PAGE_SQL, [before, before, before, conversationId, user.id, conversationId, options.limit, conversationId, user.id]);
  if (rows.length === 0) throw new NotFoundError('No such conversation.');
  if (!rows[0]!.cursor_found) throw new NotFoundError('No such message in this conversation.');
  const messages = rows.filter((row): row is PageRow & { id: string } => row.id !== null);
  const oldest = messages[0];
  return {
    items: messages.map((row) => ({
      ...shapeMessageFields(
        {
          id: row.id,
          parentId: row.parent_id,
          role: row.role,
          content: row.content,
          model: row.model,
          style: row.preset_id && row.preset_name !== null ? { id: row.preset_id, name: row.preset_name } : null,
          createdAt: new Date(row.created_at),
          metadata: row.metadata,
          promptTokens: row.prompt_tokens,
          completionTokens: row.completion_tokens,
          costMicros: row.cost_micros === null ? null : Number(row.cost_micros),
        },
        options.showUsage,
      ),
      versionIds: row.version_ids,
      attachments: (row.attachments ?? []).map((attachment) => ({ ...attachment, createdAt: new Date(attachment.createdAt) })) as AttachmentView[],
    })),
    nextCursor: oldest?.parent_id ? oldest.id : null,
  };
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
