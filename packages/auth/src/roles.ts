import type { IUser, Role } from '@atrium/db';

const ROLE_RANK: Record<Role, number> = { student: 0, staff: 1, admin: 2 };

/** The highest of the roles granted; `student` when none is. */
export const highestRole = (roles: Iterable<Role>): Role =>
  [...roles].reduce<Role>((best, role) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best), 'student');

/**
 * Where a directory-backed user's role comes from: the directory (LDAP groups, SSO claims) at
 * every sign-in, unless an admin set it by hand. That override sticks until an admin hands the
 * role back to the directory, so a sign-in never silently undoes an admin's decision.
 */
export const effectiveRole = (user: Pick<IUser, 'role' | 'roleOverride'> | null, directoryRole: Role): Role =>
  user?.roleOverride ? user.role : directoryRole;

export function applyDirectoryRole(user: IUser, directoryRole: Role) {
  user.role = effectiveRole(user, directoryRole);
}
