import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { asJson, SsoRequest, type EntityManager } from '@atrium/db';
import type { Clock } from '../sessions';

/** How long a browser may spend at the identity provider before the round trip is void. */
export const SSO_REQUEST_TTL_MS = 10 * 60 * 1000;

export const hashedRequestKey = (key: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(key)));

export async function saveSsoRequest(
  em: EntityManager,
  request: { key: string; protocol: 'oidc' | 'saml'; provider: string; data: Record<string, string> },
  now: Clock,
) {
  await em.insert(SsoRequest, {
    id: hashedRequestKey(request.key),
    protocol: request.protocol,
    provider: request.provider,
    data: request.data,
    expiresAt: new Date(now().getTime() + SSO_REQUEST_TTL_MS),
  });
}

/** The request's data, once: the row is deleted in the same step, so a second use finds nothing. */
export async function takeSsoRequest(em: EntityManager, key: string, protocol: 'oidc' | 'saml', provider: string, now: Clock) {
  const rows = await em.execute<{ data: Record<string, string> | string }[]>(
    `delete from sso_requests where id = ? and protocol = ? and provider = ? and expires_at > ? returning data`,
    [hashedRequestKey(key), protocol, provider, now()],
  );
  const data = rows[0]?.data;
  if (data === undefined) return null;
  return asJson(data);
}

/** Round trips never finished, and SAML assertion ids past their expiry: the hourly sweep. */
export async function deleteExpiredSsoState(em: EntityManager, now: Clock) {
  const at = now();
  const requests = await em.nativeDelete(SsoRequest, { expiresAt: { $lte: at } });
  const assertions = await em.execute<{ count: number }[]>(`delete from saml_assertions_seen where expires_at <= ? returning 1 as count`, [at]);
  return requests + assertions.length;
}
