import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, notifyRowChange, uuidPrimaryKey } from './common';
import { User } from './User';

/**
 * A personal API key. Stored like a session: only the SHA-256 (hex) of the key; the visible
 * prefix lets its owner tell keys apart. Keys are revoked, not deleted, so usage keeps its label.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  // Recording "last used" notifies nobody: the writer updates its own copy, and another
  // replica's stale "last used" only makes it record the use once more within the minute.
  triggers: [
    { name: 'notify_api_key_deleted', events: ['delete' as const], ...notifyRowChange('k') },
    {
      name: 'notify_api_key_changed',
      events: ['update' as const],
      // As PostgreSQL prints it back, so the schema diff finds nothing to change.
      when: '(NOT ((old.last_used_at IS DISTINCT FROM new.last_used_at) OR ((old.last_used_ip)::text IS DISTINCT FROM (new.last_used_ip)::text)))',
      ...notifyRowChange('k'),
    },
  ],
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
