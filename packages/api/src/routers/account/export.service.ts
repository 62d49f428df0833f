import { PassThrough } from 'node:stream';
import {
  Attachment,
  Conversation,
  DataExport,
  exportStorageKey,
  Feedback,
  ForbiddenError,
  Message,
  NotFoundError,
  Preset,
  Session,
  User,
  UserPreference,
  type DataExportStatus,
  type EntityManager,
  type IDataExport,
  type IUser,
} from '@atrium/db';
import { recordAudit } from '@atrium/auth';
import type { FileStore } from '../../files';

const PAGE = 200;

/**
 * "Download my data": one zip with an index, the account (profile, role, sessions, memory,
 * styles, feedback), every conversation as Markdown and JSON, the usage history and the stored
 * attachments. Written entry by entry into the file store: the archive is never whole in memory,
 * and conversations are read a page at a time.
 */
export async function writeExportArchive(
  em: EntityManager,
  files: FileStore,
  exportRow: IDataExport,
  options: { now: Date; signal?: AbortSignal; onProgress?: (done: number, total: number) => Promise<void> },
) {
  const userId = (exportRow.user as IUser).id ?? (exportRow.user as unknown as string);
  const user = await em.findOneOrFail(User, { id: userId });
  const conversationCount = await em.count(Conversation, { user: userId });
  const attachmentCount = await em.count(Attachment, { user: userId });
  const total = conversationCount + attachmentCount + 2;
  let done = 0;
  const step = async () => {
    done += 1;
    options.signal?.throwIfAborted();
    await options.onProgress?.(done, total);
  };

  // archiver is loaded by the first export (a job), not at the server's start.
  const { ZipArchive } = await import('archiver');
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const sink = new PassThrough();
  // Failures surface through `stored` (the store's read of `sink` rejects); these only keep them handled.
  sink.on('error', () => {});
  archive.on('error', (error) => sink.destroy(error));
  archive.pipe(sink);
  const stored = files.put(exportStorageKey(exportRow.id), sink, { contentType: 'application/zip' });
  // A failed write must not leave the producer waiting on back-pressure.
  stored.catch(() => archive.abort());
  const index: { path: string; title: string }[] = [];
  const add = (path: string, title: string, content: string) => {
    archive.append(content, { name: path });
    index.push({ path, title });
  };

  try {
    const account = await accountDocument(em, user, options.now);
    add('account.json', 'Account, sessions, memory, styles and feedback (JSON)', JSON.stringify(account, null, 2));
    await step();

    const usage = await em.execute<Record<string, unknown>[]>(
      `select to_char(date, 'YYYY-MM-DD') as date, model, provider, requests, cache_hits, prompt_tokens, completion_tokens, cost_micros
         from usage_daily where user_id = ? order by date, model`,
      [user.id],
    );
    add('usage.json', 'Usage history by day and model (JSON)', JSON.stringify(usage, null, 2));
    await step();

    for await (const conversation of conversationsOf(em, user.id)) {
      const messages = await messagesOf(em, conversation.id);
      const base = `conversations/${conversation.createdAt.toISOString().slice(0, 10)}-${conversation.id}`;
      add(`${base}.md`, `${conversation.title} (Markdown)`, conversationMarkdown(conversation, messages));
      add(`${base}.json`, `${conversation.title} (JSON)`, JSON.stringify({ ...shapeConversation(conversation), messages }, null, 2));
      await step();
    }

    const attachments = await em.find(Attachment, { user: user.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const attachment of attachments) {
      if (await files.exists(attachment.storageKey)) {
        const path = `attachments/${attachment.id}-${safeName(attachment.name)}`;
        archive.append(await files.get(attachment.storageKey), { name: path });
        index.push({ path, title: attachment.name });
      }
      await step();
    }

    archive.append(indexHtml(user, index, options.now), { name: 'index.html' });
    await archive.finalize();
    return await stored;
  } catch (error) {
    archive.abort();
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    await stored.catch(() => {});
    await files.delete(exportStorageKey(exportRow.id));
    throw error;
  }
}

async function accountDocument(em: EntityManager, user: IUser, now: Date) {
  const [sessions, memory, styles, feedback] = await Promise.all([
    em.find(Session, { user: user.id, expiresAt: { $gt: now } }, { orderBy: { createdAt: 'asc' } }),
    em.find(UserPreference, { user: user.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(Preset, { owner: user.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(Feedback, { user: user.id }, { orderBy: { createdAt: 'asc' } }),
  ]);
  return {
    exportedAt: now.toISOString(),
    profile: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      email: user.email ?? null,
      role: user.role,
      authSource: user.authSource,
      createdAt: user.createdAt,
      lastLoginAt: user.lastLoginAt ?? null,
    },
    // The session ids are token hashes: useless outside, but still not shared.
    sessions: sessions.map((session) => ({
      type: session.type,
      userAgent: session.userAgent ?? null,
      ip: session.ip ?? null,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
    })),
    // Suggestions and discarded ones (a key only) too: the export is everything held about the user.
    memory: memory.map(({ key, value, category, source, status, isActive, createdAt, updatedAt }) => ({ key, value, category, source, status, isActive, createdAt, updatedAt })),
    styles: styles.map(({ name, description, systemPromptTemplate, temperature, maxTokens, createdAt, updatedAt }) => ({
      name,
      description: description ?? null,
      instructions: systemPromptTemplate,
      temperature: temperature ?? null,
      maxTokens: maxTokens ?? null,
      createdAt,
      updatedAt,
    })),
    feedback: feedback.map((entry) => ({
      conversationId: (entry.conversation as { id: string }).id,
      messageId: (entry.message as { id: string } | null)?.id ?? null,
      type: entry.type,
      comment: entry.comment ?? null,
      ratedAnswer: entry.messageContent,
      model: entry.model ?? null,
      createdAt: entry.createdAt,
    })),
  };
}

async function* conversationsOf(em: EntityManager, userId: string) {
  let offset = 0;
  for (;;) {
    const page = await em.find(Conversation, { user: userId }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: PAGE, offset });
    yield* page;
    if (page.length < PAGE) return;
    offset += PAGE;
  }
}

async function messagesOf(em: EntityManager, conversationId: string) {
  const messages = await em.find(Message, { conversation: conversationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return messages.map((message) => ({
    id: message.id,
    role: message.role,
    content: message.content,
    model: message.model ?? null,
    provider: message.provider ?? null,
    promptTokens: message.promptTokens ?? null,
    completionTokens: message.completionTokens ?? null,
    costMicros: message.costMicros ?? null,
    createdAt: message.createdAt,
  }));
}

const shapeConversation = (conversation: { id: string; title: string; group?: string | null; createdAt: Date; updatedAt: Date }) => ({
  id: conversation.id,
  title: conversation.title,
  group: conversation.group ?? null,
  createdAt: conversation.createdAt,
  updatedAt: conversation.updatedAt,
});

function conversationMarkdown(
  conversation: { title: string; createdAt: Date },
  messages: Awaited<ReturnType<typeof messagesOf>>,
): string {
  const speaker = { user: 'You', assistant: 'Assistant', system: 'System' } as const;
  const parts = [`# ${conversation.title}`, '', `Started ${conversation.createdAt.toISOString()}`, ''];
  for (const message of messages) {
    const about = [message.createdAt.toISOString(), message.model, message.completionTokens !== null ? `${(message.promptTokens ?? 0) + message.completionTokens} tokens` : null]
      .filter(Boolean)
      .join(' · ');
    parts.push(`## ${speaker[message.role]} — ${about}`, '', message.content, '');
  }
  return parts.join('\n');
}

const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'file';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The archive's front page: what is inside, each item a link. */
function indexHtml(user: IUser, entries: { path: string; title: string }[], now: Date) {
  const items = entries.map((entry) => `<li><a href="${escapeHtml(entry.path)}">${escapeHtml(entry.title)}</a> <code>${escapeHtml(entry.path)}</code></li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your data: ${escapeHtml(user.displayName)}</title></head>
<body>
<h1>Your data</h1>
<p>Everything Atrium kept about ${escapeHtml(user.displayName)} (${escapeHtml(user.username)}), exported ${now.toISOString()}.</p>
<ul>
${items.join('\n')}
</ul>
</body></html>
`;
}

/** Queues an export of `userId`'s data (mine, or anyone's for an admin, audited); one at a time per user and requester. */
export async function requestExport(em: EntityManager, actor: IUser, userId: string) {
  if (actor.id === userId && actor.permissions?.exportData === false) {
    throw new ForbiddenError('Exporting your data is turned off for your account. Ask an administrator.');
  }
  const requestedBy = actor.id === userId ? null : actor.id;
  return em.transactional(async (tx) => {
    if (requestedBy) {
      if (actor.role !== 'admin') throw new NotFoundError('No such user.');
      if (!(await tx.count(User, { id: userId }))) throw new NotFoundError('No such user.');
      recordAudit(tx, actor.id, 'user.export', userId);
    }
    // The archive goes to whoever asked, so a pending one of someone else's asking is not mine to return.
    const pending = await tx.findOne(DataExport, { user: userId, requestedBy, status: { $in: ['queued', 'running'] } });
    if (pending) return { exportRow: pending, created: false };
    const exportRow = tx.create(DataExport, { user: userId, requestedBy });
    await tx.flush();
    return { exportRow, created: true };
  });
}

/** Where a finished archive is downloaded (`/api/exports/:id`, served by `server/exports.ts`). */
export const exportDownloadPath = (exportId: string) => `/api/exports/${exportId}`;

/** A "Download my data" archive as its owner sees it: plain values, so clients' types do not name the ORM's. */
export type ExportView = {
  id: string;
  status: DataExportStatus | 'expired';
  progress: number;
  total: number;
  size: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
  downloadUrl: string | null;
};

export const shapeExport = (row: IDataExport, now: Date): ExportView => {
  const status = row.expiresAt && row.expiresAt <= now ? ('expired' as const) : row.status;
  return {
    id: row.id,
    status,
    progress: row.progress,
    total: row.total,
    size: row.size ?? null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt ?? null,
    expiresAt: row.expiresAt ?? null,
    downloadUrl: status === 'ready' ? exportDownloadPath(row.id) : null,
  };
};

/** Why an archive cannot be downloaded: not there for this person, not built yet, or past its time. */
export class ExportUnavailableError extends Error {
  constructor(
    readonly reason: 'not-found' | 'not-ready' | 'expired',
    message: string,
  ) {
    super(message);
    this.name = 'ExportUnavailableError';
  }
}

/**
 * An archive `viewer` may download: one of their own data (unless exporting is turned off for
 * them), or one an administrator made for someone else, for that administrator only (audited).
 * Anyone else gets the same answer as for no archive at all.
 */
export async function openExportForDownload(em: EntityManager, viewer: IUser, exportId: string, now: Date) {
  const row = await em.findOne(DataExport, { id: exportId, $or: [{ user: viewer.id }, { requestedBy: viewer.id }] }, { populate: ['user'] });
  const subject = row?.user as IUser | undefined;
  const isSubject = subject?.id === viewer.id;
  if (!row || !subject || (isSubject && viewer.permissions?.exportData === false) || (!isSubject && viewer.role !== 'admin')) {
    throw new ExportUnavailableError('not-found', 'No such export.');
  }
  if (row.expiresAt && row.expiresAt <= now) throw new ExportUnavailableError('expired', 'This export has expired. Ask for a new one.');
  if (row.status !== 'ready') throw new ExportUnavailableError('not-ready', 'This export is not ready yet.');
  if (!isSubject) {
    recordAudit(em, viewer.id, 'user.export.download', subject.id, { exportId: row.id });
    await em.flush();
  }
  return { row, subject, fileName: `${subject.username}-data-${(row.finishedAt ?? row.createdAt).toISOString().slice(0, 10)}.zip` };
}
