import { DomainError } from '@atrium/db';

/**
 * Why a single sign-on attempt was refused. The sign-in page shows a sentence for each reason;
 * the message (in English) is for logs and scripts.
 */
export type SsoFailure =
  | 'invalid' // the IdP's answer failed verification: signature, audience, time, state, nonce, client
  | 'expired' // the round trip took too long or was already used
  | 'replayed' // a SAML assertion seen before
  | 'not_allowed' // the allowed-groups gate
  | 'admin_only' // the admin app, and the person is not an administrator
  | 'suspended'
  | 'unavailable'; // the IdP cannot be reached or is misconfigured

export const SSO_FAILURES: readonly SsoFailure[] = ['invalid', 'expired', 'replayed', 'not_allowed', 'admin_only', 'suspended', 'unavailable'];

export class SsoError extends DomainError {
  constructor(
    readonly reason: SsoFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
