import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './common';
import { User } from './User';

export const SESSION_TYPES = ['active_session', 'remember_token'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

/** A sign-in. The id is the SHA-256 (hex) of the cookie token; the token itself is never stored. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
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
