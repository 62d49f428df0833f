import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, jsonObject, uuidPrimaryKey } from './common';
import { User } from './User';

/** One row per admin action. The log belongs to the institution, so it outlives its actor. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: uuidPrimaryKey(),
    actor: () => p.manyToOne(User).nullable().deleteRule('set null').index(),
    // An erased actor's tombstone (`erased-user-…`): their events stay linked to each other, not to them.
    actorLabel: p.string().length(64).nullable(),
    action: p.string().length(64),
    target: p.string().length(255).nullable(),
    data: jsonObject<Record<string, unknown>>(),
    createdAt: createdAt().index(),
  },
});
export type IAuditEvent = InferEntity<typeof AuditEvent>;
