import type { IUser, Role, RoleSource } from '@atrium/db';

/**
 * The one rule for roles that come from outside (LDAP groups, OIDC/SAML claims): the directory
 * decides, at every sign-in and group re-check, until an administrator sets the role by hand;
 * from then on the administrator's choice sticks until they hand it back to the directory.
 */
export type DirectoryRoleDecision = { role: Role; roleSource: RoleSource; changed: boolean };

/** What a directory-backed user's role becomes when the directory says `directoryRole`. */
export function applyDirectoryRole(user: Pick<IUser, 'role' | 'roleSource'> | null, directoryRole: Role): DirectoryRoleDecision {
  if (!user) return { role: directoryRole, roleSource: 'directory', changed: true };
  if (user.roleSource === 'administrator') return { role: user.role, roleSource: 'administrator', changed: false };
  return { role: directoryRole, roleSource: 'directory', changed: user.role !== directoryRole };
}
