import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './common';
import { User } from './User';

/**
 * A personal API key. Stored like a session: only the SHA-256 (hex) of the key; the visible
 * prefix lets its owner tell keys apart. Keys are revoked, not deleted, so usage keeps its label.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    name: p.string().length(100),
    prefix: p.string().length(16),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    lastUsedIp: p.string().length(64).nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type IApiKey = InferEntity<typeof ApiKey>;
