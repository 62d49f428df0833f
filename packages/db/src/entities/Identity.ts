import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidPrimaryKey } from './common';
import { User } from './User';

export const IDENTITY_METHODS = ['local', 'ldap', 'oidc', 'saml'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

/**
 * One way a person proves who they are: a (method, issuer, subject) triple that stays the same
 * across sign-ins: an OpenID provider's `sub`, a SAML IdP's eduPersonPrincipalName, a directory
 * uid. Never a display name. Several identities may belong to one user (docs/decisions/160).
 */
export const Identity = defineEntity({
  name: 'Identity',
  tableName: 'identities',
  uniques: [{ properties: ['method', 'issuer', 'subject'] }],
  properties: {
    id: uuidPrimaryKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    method: p.enum(IDENTITY_METHODS),
    /** The provider's id in Atrium's settings: OIDC provider id, SAML IdP entity id, `ldap`, `local`. */
    issuer: p.string().length(512),
    subject: p.string().length(512),
    firstSeenAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IIdentity = InferEntity<typeof Identity>;
