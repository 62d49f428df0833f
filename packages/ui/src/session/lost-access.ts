import { TRPCClientError } from '@trpc/client';

/**
 * When the API says the visitor is no longer signed in (their session was revoked, expired, or
 * their account suspended) while a page is open, the page must not carry on as if nothing
 * happened: it goes to sign-in, which says why, and comes back here afterwards.
 */

/** The procedures whose UNAUTHORIZED means "wrong password", not "signed out". */
const CREDENTIAL_CHECKS = new Set(['auth.signIn', 'auth.register', 'auth.changePassword']);

/** `[['chat', 'send'], …]` → `chat.send`, as tRPC's React Query keys spell a procedure. */
const procedureOf = (key: readonly unknown[] | undefined) => (Array.isArray(key?.[0]) ? (key[0] as unknown[]).join('.') : '');

/** True when an error from the tRPC client means the visitor lost access to the app. */
export function isLostAccess(error: unknown, key?: readonly unknown[]): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  if (CREDENTIAL_CHECKS.has(procedureOf(key))) return false;
  const code = (error.data as { code?: string } | undefined)?.code;
  return code === 'UNAUTHORIZED' || (code === 'FORBIDDEN' && /suspended/i.test(error.message));
}

/** Where to send a visitor who lost access on `location`: sign-in, with a reason and the way back. */
export function signInAgainPath(location: Pick<Location, 'pathname' | 'search'>): string {
  const params = new URLSearchParams({ reason: 'signed-out' });
  if (location.pathname !== '/' && !location.pathname.startsWith('/login')) params.set('redirectTo', location.pathname + location.search);
  return `/login?${params}`;
}

/**
 * A full page load rather than a client-side navigation: nothing of the old session (cached
 * queries, open streams) survives it.
 */
export function leaveForSignIn(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/login') return;
  window.location.assign(signInAgainPath(window.location));
}
