import { buffer } from 'node:stream/consumers';
import type { PromptDocument, PromptImage } from '@atrium/ai';
import { Attachment, ConflictError, NotFoundError, ValidationError, type EntityManager, type IAttachment, type IModel, type IUser } from '@atrium/db';
import type { ProviderSettings } from '@atrium/ai';
import type { FileStore } from '../../files';
import { listUsableModels } from '../models/models.service';

/** At most this many files go with one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/**
 * The files a turn carries: my not-yet-sent attachments named in `send`, or, when regenerating,
 * those of the question being answered again. Refused before any upstream call: someone else's
 * or an already-sent attachment (NOT_FOUND), a document still being read (CONFLICT), any file
 * for a model that draws, and pictures for a model that cannot see (naming the models that can).
 */
export async function loadTurnAttachments(
  em: EntityManager,
  input: {
    user: IUser;
    attachmentIds: readonly string[];
    /** The question answered again; `hasAttachments` false (its turn read knew) sends no query for them. */
    existingUserMessage: { id: string; hasAttachments: boolean } | null;
    model: IModel;
    providers: ProviderSettings;
  },
): Promise<IAttachment[]> {
  const { user, model } = input;
  const question = input.existingUserMessage;
  const attachments = question
    ? question.hasAttachments
      ? await em.find(Attachment, { user: user.id, message: question.id }, { populate: ['extractedText'], orderBy: { createdAt: 'asc' } })
      : []
    : await draftAttachments(em, user, input.attachmentIds);
  if (attachments.some((attachment) => attachment.status === 'processing')) {
    throw new ConflictError('A document is still being read. Send again in a moment.');
  }
  if (attachments.length > 0 && model.supportsImageGeneration) {
    throw new ValidationError(`${model.displayName} draws pictures from your words and cannot read attachments. Remove them, or choose another model.`);
  }
  if (attachments.some((attachment) => attachment.type !== 'document') && !model.supportsVision) {
    const seeing = (await listUsableModels(em, user, input.providers)).filter((candidate) => candidate.supportsVision);
    throw new ValidationError(
      seeing.length
        ? `${model.displayName} cannot see pictures. Choose a model that can: ${seeing.map((candidate) => candidate.displayName).join(', ')}.`
        : `${model.displayName} cannot see pictures, and no model available to you can. Remove the picture to send.`,
    );
  }
  return attachments;
}

async function draftAttachments(em: EntityManager, user: IUser, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const found = await em.find(Attachment, { id: { $in: unique }, user: user.id, message: null }, { populate: ['extractedText'], orderBy: { createdAt: 'asc' } });
  if (found.length !== unique.length) throw new NotFoundError('An attachment is missing: it may have been removed. Attach it again.');
  return found;
}

/** Links the turn's new attachments to the message they were sent with; only my unsent ones move. */
export async function attachToMessage(em: EntityManager, user: IUser, attachments: readonly IAttachment[], message: { id: string }) {
  const drafts = attachments.filter((attachment) => !attachment.message).map((attachment) => attachment.id);
  if (drafts.length === 0) return;
  await em.nativeUpdate(Attachment, { id: { $in: drafts }, user: user.id, message: null }, { message: message.id });
}

/**
 * What the prompt gets from attachments: the text of this turn's documents and of documents
 * sent earlier in the history window (newest first, so the budget favours what was just
 * attached), and this turn's pictures as bytes.
 */
export async function promptAttachments(
  em: EntityManager,
  files: FileStore,
  input: { user: IUser; turn: readonly IAttachment[]; history: readonly { id: string; role: string; hasDocuments?: boolean }[] },
): Promise<{ documents: PromptDocument[]; images: PromptImage[] }> {
  // Questions the history read says carried no document are not asked about.
  const earlierIds = input.history.filter((message) => message.role === 'user' && message.hasDocuments !== false).map((message) => message.id);
  const earlier = earlierIds.length
    ? await em.find(
        Attachment,
        { user: input.user.id, message: { $in: earlierIds }, type: 'document', status: 'ready' },
        { populate: ['extractedText'], orderBy: { createdAt: 'desc' } },
      )
    : [];
  const documents = [...input.turn.filter((attachment) => attachment.type === 'document' && attachment.status === 'ready').reverse(), ...earlier]
    .filter((attachment) => attachment.extractedText)
    .map((attachment) => ({ name: attachment.name, text: attachment.extractedText! }));
  const images = await Promise.all(
    input.turn
      .filter((attachment) => attachment.type !== 'document')
      .map(async (attachment) => ({ data: new Uint8Array(await buffer(await files.get(attachment.storageKey))), mediaType: attachment.mimeType })),
  );
  return { documents, images };
}
