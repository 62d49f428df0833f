import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, ROLES, uuidPrimaryKey } from './common';
import { User } from './User';

/** A single-use code an admin hands out; the only way to get a local account. */
export const Invite = defineEntity({
  name: 'Invite',
  tableName: 'invites',
  properties: {
    id: uuidPrimaryKey(),
    code: p.string().length(64).unique(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    role: p.enum(ROLES).default('student'),
    note: p.string().length(255).nullable(),
    expiresAt: p.datetime().nullable(),
    isUsed: p.boolean().default(false),
    usedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type IInvite = InferEntity<typeof Invite>;
