import { User, type EntityManager, type IUser, type Role } from '@atrium/db';
import { DEFAULT_RECHECK_INTERVAL_MS, LdapAuthError, lookUpLdapUser, type LdapConfig } from './ldap';
import { applyDirectoryRole } from './role-source';
import { invalidateUserSessions, type Clock } from './sessions';

/**
 * What re-asking the directory about a signed-in user found:
 * - `confirmed`: still there and allowed; role recomputed by the sign-in rule (a sticky
 *   administrator's choice is kept), `from` is the role before;
 * - `ended`: gone from the directory, moved to another DN, or no longer in an allowed group:
 *   every session of theirs has been deleted;
 * - `unavailable`: the directory did not answer; nothing changed and the check stays due.
 */
export type DirectoryRecheck =
  | { outcome: 'confirmed'; user: IUser; from: Role }
  | { outcome: 'ended'; reason: 'gone' | 'not_allowed' }
  | { outcome: 'unavailable'; error: LdapAuthError };

/** Whether this user's groups should be asked again: a directory account whose last check is older than the interval. */
export function directoryRecheckDue(user: Pick<IUser, 'ldapDn' | 'directoryCheckedAt'>, ldap: LdapConfig | null, now: Clock): boolean {
  if (!ldap || !user.ldapDn) return false;
  if (!user.directoryCheckedAt) return true;
  return now().getTime() - user.directoryCheckedAt.getTime() >= (ldap.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS);
}

/**
 * Asks the directory (service bind, no password) whether a signed-in user is still there and in
 * which groups, and applies the answer the way a sign-in would: demoted or promoted with the same
 * `applyDirectoryRole` rule, or every session ended when they may no longer sign in at all.
 */
export async function recheckDirectoryUser(em: EntityManager, user: IUser, ldap: LdapConfig, now: Clock): Promise<DirectoryRecheck> {
  let found: Awaited<ReturnType<typeof lookUpLdapUser>> | 'not_allowed';
  try {
    found = await lookUpLdapUser(ldap, user.username);
  } catch (error) {
    if (!(error instanceof LdapAuthError)) throw error;
    if (error.reason !== 'not_allowed') return { outcome: 'unavailable', error };
    found = 'not_allowed';
  }
  // Another DN under the same name is another person (or a moved account that signs in afresh).
  const gone = found === null || (found !== 'not_allowed' && found.dn.toLowerCase() !== user.ldapDn?.toLowerCase());
  if (gone || found === 'not_allowed') {
    await invalidateUserSessions(em, user.id);
    return { outcome: 'ended', reason: gone ? 'gone' : 'not_allowed' };
  }
  const from = user.role;
  const { role, roleSource } = applyDirectoryRole(user, found!.role);
  // One statement, whichever EntityManager loaded `user`; the caller's copy follows.
  const fields = { role, roleSource, directoryCheckedAt: now() };
  await em.nativeUpdate(User, { id: user.id }, fields);
  Object.assign(user, fields);
  return { outcome: 'confirmed', user, from };
}
