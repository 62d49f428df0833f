import type { AuthSource, IUser, Role, RoleSource, Theme, UserLimits, UserPermissions, UserUnlocks } from '@atrium/db';

/** The user as the API shows them: plain data, never the hash, never the entity's own types. */
export type UserDto = {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  authSource: AuthSource;
  isBanned: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  theme: Theme;
  language: string | null;
};

/** What an admin sees of a user, including the settings they can edit. */
export type AdminUserDto = UserDto & {
  ldapDn: string | null;
  banReason: string | null;
  bannedUntil: Date | null;
  /** `directory`: the role follows the directory's groups; `administrator`: set by hand, kept. */
  roleSource: RoleSource;
  limits: UserLimits;
  permissions: UserPermissions;
  unlocks: UserUnlocks;
  updatedAt: Date;
};

export const shapeUser = (user: IUser): UserDto => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  email: user.email ?? null,
  role: user.role,
  authSource: user.authSource,
  isBanned: user.isBanned,
  createdAt: user.createdAt,
  lastLoginAt: user.lastLoginAt ?? null,
  // How the apps look for them on every device (null language: the browser's).
  theme: user.theme,
  language: user.language ?? null,
});

export const shapeUserForAdmin = (user: IUser): AdminUserDto => ({
  ...shapeUser(user),
  ldapDn: user.ldapDn ?? null,
  banReason: user.banReason ?? null,
  bannedUntil: user.bannedUntil ?? null,
  roleSource: user.roleSource,
  limits: user.limits,
  permissions: user.permissions,
  unlocks: user.unlocks,
  updatedAt: user.updatedAt,
});
