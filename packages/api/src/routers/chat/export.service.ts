import type { EntityManager, IUser } from '@atrium/db';
import { findOwnConversation } from './conversations.service';
import { refId } from './chat.shape';
import { ancestorIds, messagesInOrder } from './tree.service';

export type ExportFormat = 'markdown' | 'json';

/** A file name from a title: letters, digits and dashes, never empty. */
export function exportFileName(title: string, format: ExportFormat) {
  const base =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ı/g, 'i')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 80) || 'chat';
  return `${base}.${format === 'markdown' ? 'md' : 'json'}`;
}

/**
 * One of my conversations as a file: the branch I am viewing, root to leaf (other versions are
 * other branches, each exported when viewed). Markdown reads well anywhere; JSON keeps every field a tool needs.
 */
export async function exportConversation(
  em: EntityManager,
  user: IUser,
  id: string,
  format: ExportFormat,
  now: Date,
  // Tokens go into the file only for users who may see them under the answers.
  view: { showUsage: boolean } = { showUsage: false },
) {
  const conversation = await findOwnConversation(em, user, id);
  const leafId = refId(conversation.activeLeaf);
  const rows = leafId ? await ancestorIds(em, conversation.id, leafId) : [];
  const messages = (await messagesInOrder(em, rows.map((row) => row.id))).reverse();
  const fileName = exportFileName(conversation.title, format);
  if (format === 'json') {
    const body = {
      title: conversation.title,
      conversationId: conversation.id,
      exportedAt: now.toISOString(),
      messages: messages.map((message) => ({
        id: message.id,
        role: message.role,
        content: message.content,
        model: message.model ?? null,
        createdAt: message.createdAt.toISOString(),
        ...(view.showUsage ? { promptTokens: message.promptTokens ?? null, completionTokens: message.completionTokens ?? null } : {}),
        stopped: message.metadata.aborted === true,
      })),
    };
    return { fileName, mimeType: 'application/json', content: `${JSON.stringify(body, null, 2)}\n` };
  }
  const lines = [`# ${conversation.title}`, '', `_Exported ${now.toISOString()}_`, ''];
  for (const message of messages) {
    const who = message.role === 'user' ? 'You' : message.role === 'assistant' ? `Assistant${message.model ? ` (${message.model})` : ''}` : 'System';
    lines.push(`## ${who}`, '', message.content, '');
  }
  return { fileName, mimeType: 'text/markdown', content: lines.join('\n') };
}
