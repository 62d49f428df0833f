import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './common';
import { Message } from './Message';
import { User } from './User';

export const ATTACHMENT_TYPES = ['image', 'document', 'generated_image'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
/** Documents wait for text extraction (`processing`); images and generated images are ready when stored. */
export const ATTACHMENT_STATUSES = ['processing', 'ready', 'failed'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** A file on a message. Owned by the user directly too, so an upload can exist before its message. */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    message: () => p.manyToOne(Message).nullable().deleteRule('cascade').index(),
    type: p.enum(ATTACHMENT_TYPES),
    name: p.string().length(255),
    mimeType: p.string().length(255),
    size: p.integer(),
    storageKey: p.string().length(512),
    extractedText: p.text().nullable().lazy(),
    status: p.enum(ATTACHMENT_STATUSES).default('ready'),
    /** Why processing failed, as a code the apps translate (`no-text-layer`, `unreadable`, `empty`). */
    failure: p.string().length(64).nullable(),
    /** A small re-encoded copy of an image, for the chat. */
    thumbnailKey: p.string().length(512).nullable(),
    width: p.integer().nullable(),
    height: p.integer().nullable(),
    createdAt: createdAt(),
  },
});
export type IAttachment = InferEntity<typeof Attachment>;
