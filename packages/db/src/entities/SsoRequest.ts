import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A single sign-on round trip in flight, kept in the database so the replica that receives the
 * answer need not be the one that sent the browser away. OIDC: keyed by the SHA-256 of a random
 * value in a short-lived cookie, holding state, nonce and PKCE verifier. SAML: keyed by the
 * AuthnRequest id, so a response must answer a request we made (InResponseTo).
 */
export const SsoRequest = defineEntity({
  name: 'SsoRequest',
  tableName: 'sso_requests',
  properties: {
    id: p.string().length(255).primary(),
    protocol: p.enum(['oidc', 'saml'] as const),
    provider: p.string().length(128),
    data: p.json<Record<string, string>>(),
    expiresAt: p.datetime().index(),
  },
});
export type ISsoRequest = InferEntity<typeof SsoRequest>;

/**
 * SAML assertion ids already accepted, remembered until the assertion itself expires: a captured
 * response replayed to any replica is refused (the primary key makes the check one INSERT).
 */
export const SamlAssertionSeen = defineEntity({
  name: 'SamlAssertionSeen',
  tableName: 'saml_assertions_seen',
  properties: {
    id: p.string().length(255).primary(),
    issuer: p.string().length(512),
    expiresAt: p.datetime().index(),
  },
});
export type ISamlAssertionSeen = InferEntity<typeof SamlAssertionSeen>;
