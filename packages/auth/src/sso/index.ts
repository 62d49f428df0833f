export { claimMatches, passesAllowedGroups, roleForClaims, type ClaimPolicy } from './claims';
export { ssoConfigFromEnv, type OidcProviderConfig, type SamlProviderConfig, type SsoConfig } from './env';
export { SSO_FAILURES, SsoError, type SsoFailure } from './errors';
export { beginOidcSignIn, finishOidcSignIn, oidcLogoutUrl, profileFromClaims } from './oidc';
export { deleteExpiredSsoState, SSO_REQUEST_TTL_MS } from './requests';
export { signInWithSso, usernameFrom, type SsoProfile, type SsoSignInOptions } from './sign-in';
export { beginSamlSignIn, finishSamlSignIn, loadIdpMetadata, parseIdpMetadata, profileFromAssertion, SAML_ATTRIBUTES, samlMetadata } from './saml';
