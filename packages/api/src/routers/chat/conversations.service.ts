import { randomUUID } from 'node:crypto';
import {
  Attachment,
  Conversation,
  directSql,
  Model,
  NotFoundError,
  type EntityManager,
  type IConversation,
  type IUser,
} from '@atrium/db';
import { PostgresFileStore, type FileStore } from '../../files';
import { removeFiles } from '../attachments/attachments.service';
import { findUsablePreset } from '../presets/presets.service';
import { modelCatalog } from '../../platform/platform.parts';
import { LISTED_COLUMNS, shapeConversationRow, type ConversationRow } from './chat.shape';

/** Keyset cursors: the last row's sort key, so pages stay stable while new rows arrive. */
export type ConversationCursor = { updatedAt: Date; id: string };

/** A conversation of this user, or NOT_FOUND: another user's id looks exactly like a missing one. */
export async function findOwnConversation(em: EntityManager, user: IUser, id: string) {
  const conversation = await em.findOne(Conversation, { id, user: user.id });
  if (!conversation) throw new NotFoundError('No such conversation.');
  return conversation;
}


/**
 * A page of my conversations, newest first, in one statement on the (user, updated_at, id)
 * index: the cursor is a row comparison, so a deep page costs what the first does. The rows are
 * shaped as they come; nothing is hydrated into the identity map, as nothing is changed.
 */
export async function listConversations(
  em: EntityManager,
  user: IUser,
  options: {
    limit: number;
    cursor?: ConversationCursor | null;
    group?: string | null;
    search?: string;
    pinned?: boolean;
    archived?: boolean;
  },
) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => (where.push(condition), params.push(...values));
  add('user_id = ?', user.id);
  if (options.group === null) add('group_name is null');
  else if (options.group !== undefined) add('group_name = ?', options.group);
  if (options.search) add('title ilike ?', `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  // Archived conversations leave the list but not the search.
  else add(options.archived ? 'archived_at is not null' : 'archived_at is null');
  if (options.pinned !== undefined) add(options.pinned ? 'pinned_at is not null' : 'pinned_at is null');
  if (options.cursor) add('(updated_at, id) < (?, ?)', options.cursor.updatedAt, options.cursor.id);
  const rows = await directSql(em).execute<ConversationRow>(
    `select ${LISTED_COLUMNS} from conversations where ${where.join(' and ')} order by updated_at desc, id desc limit ?`,
    [...params, options.limit + 1],
  );
  const items = rows.slice(0, options.limit).map(shapeConversationRow);
  const last = items.at(-1);
  return {
    items,
    // A Date of its own: one object in two places is what the wire's superjson records and re-links (transformer.ts).
    nextCursor: rows.length > options.limit && last ? { updatedAt: new Date(last.updatedAt), id: last.id } : null,
  };
}

/** The user's group names with how many conversations each holds. */
export async function listGroups(em: EntityManager, user: IUser) {
  const rows = await em.execute<{ group_name: string; count: string | number }[]>(
    'select group_name, count(*) as count from conversations where user_id = ? and group_name is not null and archived_at is null group by group_name order by group_name',
    [user.id],
  );
  return rows.map((row) => ({ name: row.group_name, count: Number(row.count) }));
}

type NewConversation = { title?: string; group?: string | null; presetId?: string | null; modelId?: string | null };

export async function createConversation(em: EntityManager, user: IUser, input: NewConversation) {
  const conversation = em.create(Conversation, await conversationFields(em, user, input));
  await em.flush();
  return conversation;
}

/**
 * A new conversation of mine, checked (a usable preset, an enabled model) but not written: a
 * chat turn writes it together with its first question, in admission's statement, so a refused
 * first message leaves nothing behind. `checkedPreset`: the input's preset, already read as
 * usable by the caller (a turn reads it with the user's memory), so it is not read again.
 */
export async function draftConversation(em: EntityManager, user: IUser, input: NewConversation, now: Date, checkedPreset?: { id: string } | null) {
  const fields = await conversationFields(em, user, input, checkedPreset);
  return em.create(Conversation, { id: randomUUID(), ...fields, activeLeaf: null, createdAt: now, updatedAt: now }, { persist: false });
}

async function conversationFields(em: EntityManager, user: IUser, input: NewConversation, checkedPreset?: { id: string } | null) {
  return {
    user: user.id,
    title: input.title ?? 'New chat',
    group: input.group ?? null,
    preset: checkedPreset !== undefined ? (checkedPreset?.id ?? null) : input.presetId ? await usablePresetRef(em, user, input.presetId) : null,
    // From the catalogue in memory (platform.parts.ts): no query per new conversation.
    model: input.modelId ? ((await modelCatalog(em)).find((model) => model.id === input.modelId && model.enabled)?.id ?? null) : null,
  };
}

async function usablePresetRef(em: EntityManager, user: IUser, presetId: string) {
  const preset = await findUsablePreset(em, user, presetId);
  if (!preset) throw new NotFoundError('No such preset.');
  return preset.id;
}

export async function updateConversation(
  em: EntityManager,
  user: IUser,
  id: string,
  changes: Partial<{ title: string; group: string | null; presetId: string | null; modelId: string | null }>,
): Promise<IConversation> {
  const conversation = await findOwnConversation(em, user, id);
  if (changes.title !== undefined) conversation.title = changes.title;
  if (changes.group !== undefined) conversation.group = changes.group;
  if (changes.presetId !== undefined) {
    conversation.preset = (changes.presetId ? await usablePresetRef(em, user, changes.presetId) : null) as never;
  }
  if (changes.modelId !== undefined) {
    const model = changes.modelId ? await em.findOne(Model, { id: changes.modelId, enabled: true }) : null;
    if (changes.modelId && !model) throw new NotFoundError('No such model.');
    conversation.model = model as never;
  }
  await em.flush();
  return conversation;
}

/**
 * Pins (to the top of the list) or archives (out of it, still searchable and restorable) a
 * conversation. Neither is news in the conversation, so neither moves it in the recent list;
 * archiving also unpins it.
 */
export async function setConversationPlace(
  em: EntityManager,
  user: IUser,
  id: string,
  change: { pinned: boolean } | { archived: boolean },
  now: Date,
): Promise<IConversation> {
  const values =
    'pinned' in change
      ? { pinnedAt: change.pinned ? now : null }
      : change.archived
        ? { archivedAt: now, pinnedAt: null }
        : { archivedAt: null };
  const changed = await em.nativeUpdate(Conversation, { id, user: user.id }, values);
  if (!changed) throw new NotFoundError('No such conversation.');
  const conversation = await findOwnConversation(em, user, id);
  await em.refresh(conversation);
  return conversation;
}

/** Deletes one of my conversations; its messages and attachments cascade, and their stored files go after. */
export async function deleteConversation(em: EntityManager, user: IUser, id: string, files: FileStore = new PostgresFileStore(em)) {
  const attachments = await em.find(
    Attachment,
    { user: user.id, message: { conversation: id } },
    { fields: ['storageKey', 'thumbnailKey', 'size'] },
  );
  const deleted = await em.nativeDelete(Conversation, { id, user: user.id });
  if (!deleted) throw new NotFoundError('No such conversation.');
  await removeFiles(em, files, attachments, user.id);
}
