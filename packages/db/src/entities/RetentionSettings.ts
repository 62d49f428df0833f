import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jsonWithDefault, updatedAt } from './common';

/** What the last retention run removed, by kind. */
export type RetentionRemoved = { conversations: number; exports: number; auditEvents: number };

/**
 * Singleton (id 1): how long things are kept, set by an administrator, and what the last run of
 * the retention job removed. A null period keeps that kind forever.
 */
export const RetentionSettings = defineEntity({
  name: 'RetentionSettings',
  tableName: 'retention_settings',
  properties: {
    id: p.integer().primary().autoincrement(false),
    // Conversations nobody has touched (no new message, rename or move) for this many days; off by default.
    conversationDays: p.integer().nullable(),
    // How long a finished "download my data" archive can be downloaded.
    exportHours: p.integer().default(24),
    // Audit events older than this many days; kept forever by default.
    auditDays: p.integer().nullable(),
    lastRunAt: p.datetime().nullable(),
    lastRunRemoved: jsonWithDefault<RetentionRemoved>({ conversations: 0, exports: 0, auditEvents: 0 }),
    updatedAt: updatedAt(),
  },
});
export type IRetentionSettings = InferEntity<typeof RetentionSettings>;
