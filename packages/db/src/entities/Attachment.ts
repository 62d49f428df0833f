import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './common';
import { Message } from './Message';
import { User } from './User';

export const ATTACHMENT_TYPES = ['image', 'document', 'generated_image'] as const;

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
    createdAt: createdAt(),
  },
});
export type IAttachment = InferEntity<typeof Attachment>;
