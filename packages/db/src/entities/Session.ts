import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, notifyRowChange } from './common';
import { User } from './User';

export const SESSION_TYPES = ['active_session', 'remember_token'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

/** A sign-in. The id is the SHA-256 (hex) of the cookie token; the token itself is never stored. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  // A touch (last seen moved, expiry not) notifies nobody: the writer updates its own copy, and
  // another replica's stale "last seen" only makes it touch once more within the minute.
  triggers: [
    { name: 'notify_session_deleted', events: ['delete' as const], ...notifyRowChange('s') },
    {
      name: 'notify_session_changed',
      events: ['update' as const],
      // As PostgreSQL prints it back, so the schema diff finds nothing to change.
      when: '((old.expires_at IS DISTINCT FROM new.expires_at) OR (NOT (old.last_seen_at IS DISTINCT FROM new.last_seen_at)))',
      ...notifyRowChange('s'),
    },
  ],
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    type: p.enum(SESSION_TYPES),
    expiresAt: p.datetime().index(),
    userAgent: p.string().length(512).nullable(),
    ip: p.string().length(64).nullable(),
    createdAt: createdAt(),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    /** `oidc:<provider>` or `saml` when single sign-on made it: sign-out may then end the IdP session too. */
    signInMethod: p.string().length(160).nullable(),
  },
});
export type ISession = InferEntity<typeof Session>;
