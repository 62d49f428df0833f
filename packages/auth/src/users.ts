import {
  AuditEvent,
  ConflictError,
  NotFoundError,
  User,
  ValidationError,
  type EntityManager,
  type IUser,
  type Role,
  type UserLimits,
  type UserPermissions,
  type UserUnlocks,
} from '@atrium/db';
import { recordAudit } from './audit';
import { invalidateUserSessions, type Clock } from './sessions';

export type UserSearch = { query?: string; role?: Role; banned?: boolean; limit: number; offset: number };

export async function searchUsers(em: EntityManager, search: UserSearch) {
  const text = search.query?.trim();
  const pattern = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const [items, total] = await em.findAndCount(
    User,
    {
      ...(pattern ? { $or: [{ username: { $ilike: pattern } }, { displayName: { $ilike: pattern } }, { email: { $ilike: pattern } }] } : {}),
      ...(search.role ? { role: search.role } : {}),
      ...(search.banned !== undefined ? { isBanned: search.banned } : {}),
    },
    { orderBy: { username: 'asc' }, limit: search.limit, offset: search.offset },
  );
  return { items, total };
}

export async function getUser(em: EntityManager, userId: string) {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw new NotFoundError('No such user.');
  return user;
}

/** An admin may not remove the last administrator, or lock themself out. */
export async function assertKeepsAnAdmin(em: EntityManager, admin: IUser, target: IUser, change: string) {
  if (target.id === admin.id) throw new ValidationError(`You cannot ${change} your own account.`);
  if (target.role === 'admin' && (await em.count(User, { role: 'admin', isBanned: false })) <= 1) {
    throw new ConflictError(`You cannot ${change} the last administrator.`);
  }
}

export async function setUserRole(em: EntityManager, admin: IUser, userId: string, role: Role) {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, userId);
    // Setting a directory account's role by hand is an override that the next sign-in keeps,
    // even when the role chosen is the one it already has.
    if (user.role === role && user.roleSource === 'administrator') return user;
    if (user.role === 'admin' && role !== 'admin') await assertKeepsAnAdmin(tx, admin, user, 'demote');
    recordAudit(tx, admin.id, 'user.setRole', user.id, { from: user.role, to: role, fromSource: user.roleSource });
    user.role = role;
    user.roleSource = 'administrator';
    return user;
  });
}

/**
 * Ends an administrator's override on a directory account: its role follows the directory again
 * from the next sign-in or group re-check on.
 */
export async function returnRoleToDirectory(em: EntityManager, admin: IUser, userId: string) {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.authSource === 'local') throw new ValidationError('This account has no directory to take its role from.');
    if (user.roleSource === 'directory') return user;
    recordAudit(tx, admin.id, 'user.roleFromDirectory', user.id, { role: user.role });
    user.roleSource = 'directory';
    return user;
  });
}

export type BanChange = { banned: true; reason: string; until: Date | null } | { banned: false };

/**
 * Banning ends every session at once: the user's open pages lose access on their next call.
 * The reason and the end (null = until an admin lifts it) are shown to the user at sign-in.
 */
export async function setUserBanned(em: EntityManager, admin: IUser, userId: string, change: BanChange, now: Clock) {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, userId);
    if (change.banned) {
      if (change.until && change.until.getTime() <= now().getTime()) throw new ValidationError('The end of a ban must be in the future.');
      await assertKeepsAnAdmin(tx, admin, user, 'ban');
      tx.assign(user, { isBanned: true, banReason: change.reason, bannedUntil: change.until });
      recordAudit(tx, admin.id, 'user.ban', user.id, { reason: change.reason, until: change.until?.toISOString() ?? null });
    } else {
      recordAudit(tx, admin.id, 'user.unban', user.id, { reason: user.banReason ?? null });
      tx.assign(user, { isBanned: false, banReason: null, bannedUntil: null });
    }
    await tx.flush();
    if (change.banned) await invalidateUserSessions(tx, user.id);
    return user;
  });
}

/**
 * Clears temporary bans whose end has passed, each audited as lifted by time (no actor). The
 * ban already stopped applying at its end (`isBanActive`); this makes the record say so too.
 */
export async function liftExpiredBans(em: EntityManager, now: Clock) {
  return em.transactional(async (tx) => {
    const lifted = await tx.execute<{ id: string }[]>(
      `update users set is_banned = false, ban_reason = null, banned_until = null, updated_at = ?
        where is_banned and banned_until is not null and banned_until <= ?
        returning id`,
      [now(), now()],
    );
    for (const row of lifted) tx.create(AuditEvent, { actor: null, action: 'user.unban', target: row.id, data: { expired: true } });
    await tx.flush();
    return lifted.length;
  });
}

type JsonSettings = { limits: UserLimits; permissions: UserPermissions; unlocks: UserUnlocks };

export async function setUserSetting<K extends keyof JsonSettings>(
  em: EntityManager,
  admin: IUser,
  userId: string,
  key: K,
  value: JsonSettings[K],
) {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, userId);
    recordAudit(tx, admin.id, `user.set.${key}`, user.id, { from: user[key], to: value });
    tx.assign(user, { [key]: value } as Partial<JsonSettings>);
    return user;
  });
}

