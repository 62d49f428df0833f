import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './common';
import { User } from './User';

export const DATA_EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export type DataExportStatus = (typeof DATA_EXPORT_STATUSES)[number];

/**
 * A "download my data" archive: built by a background job, stored in the file store under
 * `exports/<id>.zip` (no user id in the key), downloadable until `expiresAt`, then removed.
 */
export const DataExport = defineEntity({
  name: 'DataExport',
  tableName: 'data_exports',
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // An administrator exporting someone else's data; null when the user asked themself.
    requestedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    status: p.enum(DATA_EXPORT_STATUSES).default('queued'),
    // Items written so far out of the total (conversations, attachments and the account files).
    progress: p.integer().default(0),
    total: p.integer().default(0),
    size: p.bigint('number').nullable(),
    error: p.text().nullable(),
    createdAt: createdAt(),
    finishedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable().index(),
  },
});
export type IDataExport = InferEntity<typeof DataExport>;

export const exportStorageKey = (exportId: string) => `exports/${exportId}.zip`;
