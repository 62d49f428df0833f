import * as client from 'openid-client';
import type { EntityManager } from '@atrium/db';
import type { Clock } from '../sessions';
import type { OidcProviderConfig } from './env';
import { SsoError } from './errors';
import { saveSsoRequest, takeSsoRequest } from './requests';
import type { SsoProfile } from './sign-in';

/**
 * Discovery results per provider, fetched on first use. A failed discovery is forgotten, so the
 * next sign-in tries again instead of failing until a restart.
 */
const discovered = new Map<string, Promise<client.Configuration>>();

// Plain http only for a provider on this machine (development and tests); everything else needs TLS.
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function oidcConfiguration(provider: OidcProviderConfig): Promise<client.Configuration> {
  const key = `${provider.issuer}|${provider.clientId}`;
  let config = discovered.get(key);
  if (!config) {
    const issuer = new URL(provider.issuer);
    config = client
      .discovery(
        issuer,
        provider.clientId,
        provider.clientSecret ?? undefined,
        provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None(),
        issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered.delete(key);
        throw new SsoError('unavailable', `${provider.displayName} cannot be reached right now. Please try again shortly.`, { cause: error });
      });
    discovered.set(key, config);
  }
  return config;
}

/**
 * Step one: a fresh state, nonce and PKCE verifier, kept in the database under a random key the
 * browser holds in a short-lived cookie (`browserKey`). The state ties the answer to this
 * browser; the nonce ties the ID token to this request; PKCE ties the code to this client.
 */
export async function beginOidcSignIn(
  em: EntityManager,
  provider: OidcProviderConfig,
  options: { redirectUri: string; redirectTo: string; now: Clock },
) {
  const config = await oidcConfiguration(provider);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const browserKey = client.randomState();
  await saveSsoRequest(
    em,
    { key: browserKey, protocol: 'oidc', provider: provider.id, data: { state, nonce, verifier, redirectTo: options.redirectTo, redirectUri: options.redirectUri } },
    options.now,
  );
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: provider.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, browserKey };
}

/**
 * Step two, at the redirect URI: the answer must carry our state, the code is exchanged with our
 * verifier, and the ID token must be signed by the issuer, for this client, with our nonce and
 * within its lifetime (openid-client checks all of it). Refusals say what failed, in words.
 */
export async function finishOidcSignIn(
  em: EntityManager,
  provider: OidcProviderConfig,
  options: { browserKey: string | null; callbackUrl: URL; now: Clock },
): Promise<{ profile: SsoProfile; redirectTo: string }> {
  const request = options.browserKey ? await takeSsoRequest(em, options.browserKey, 'oidc', provider.id, options.now) : null;
  if (!request) throw new SsoError('expired', 'This sign-in took too long or was already used. Please start again.');
  const config = await oidcConfiguration(provider);

  const providerError = options.callbackUrl.searchParams.get('error');
  if (providerError === 'access_denied') throw new SsoError('not_allowed', `${provider.displayName} did not let you sign in.`);

  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, options.callbackUrl, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new SsoError('invalid', `The answer from ${provider.displayName} could not be verified: ${describeOidcError(error)}`, { cause: error });
  }
  const claims = tokens.claims();
  if (!claims) throw new SsoError('invalid', `${provider.displayName} sent no ID token.`);

  let all: Record<string, unknown> = { ...claims };
  if (provider.useUserInfo) {
    try {
      all = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    } catch (error) {
      throw new SsoError('unavailable', `${provider.displayName} did not answer the profile request.`, { cause: error });
    }
  }
  return { profile: profileFromClaims(provider, config.serverMetadata().issuer, all, claims.sub), redirectTo: request.redirectTo ?? '' };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
const values = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];

/** Reads a claim by name; a dotted name reaches into objects (`realm_access.roles` in Keycloak). */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  return name.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), claims);
}

export function profileFromClaims(provider: OidcProviderConfig, issuer: string, claims: Record<string, unknown>, subject: string): SsoProfile {
  const name = text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ') || null);
  return {
    method: 'oidc',
    issuer,
    subject,
    username: text(claimAt(claims, provider.usernameClaim)),
    // An address the provider has not verified could name someone else's mailbox.
    email: claims.email_verified === false ? null : text(claims.email),
    displayName: name,
    claims: provider.groupsClaims.flatMap((claim) => values(claimAt(claims, claim))),
  };
}

function describeOidcError(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  if (error instanceof client.AuthorizationResponseError) return `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  // openid-client wraps the precise finding ('unexpected ID Token "nonce" claim value') as the cause.
  if (error instanceof Error) return error.cause instanceof Error ? error.cause.message : error.message;
  return 'unknown error';
}

/**
 * Where to send the browser to end the provider's session too (RP-initiated logout), or null
 * when the provider does not offer it.
 */
export async function oidcLogoutUrl(provider: OidcProviderConfig, postLogoutRedirectUri: string): Promise<string | null> {
  const config = await oidcConfiguration(provider).catch(() => null);
  if (!config?.serverMetadata().end_session_endpoint) return null;
  return client.buildEndSessionUrl(config, { client_id: provider.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
}
