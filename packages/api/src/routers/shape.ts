import type { IUser } from '@atrium/db';

/** The user as the API shows them: never the hash, never raw entity internals. */
export const shapeUser = (user: IUser) => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  email: user.email ?? null,
  role: user.role,
  authSource: user.authSource,
  isBanned: user.isBanned,
  createdAt: user.createdAt,
  lastLoginAt: user.lastLoginAt ?? null,
});

/** What an admin sees of a user, including the settings they can edit. */
export const shapeUserForAdmin = (user: IUser) => ({
  ...shapeUser(user),
  ldapDn: user.ldapDn ?? null,
  banReason: user.banReason ?? null,
  bannedUntil: user.bannedUntil ?? null,
  /** `directory`: the role follows the directory's groups; `administrator`: set by hand, kept. */
  roleSource: user.roleSource,
  limits: user.limits,
  permissions: user.permissions,
  unlocks: user.unlocks,
  updatedAt: user.updatedAt,
});
