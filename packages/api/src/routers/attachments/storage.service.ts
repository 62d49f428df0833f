import { recordAudit } from '@atrium/auth';
import { NotFoundError, StorageQuota, StorageUsage, User, type EntityManager, type IUser, type Role } from '@atrium/db';

/** The quota that applies to a user: their own when an admin set one, else their role's; null = no limit. */
const EFFECTIVE_QUOTA = `coalesce(su.quota_bytes, (select q.quota_bytes from storage_quotas q where q.role = ?))`;

/**
 * Takes `bytes` of the user's storage quota, or returns false when they would not fit. One
 * conditional UPDATE: two uploads finishing at once are serialised on the row by PostgreSQL, and
 * the second sees the first's bytes, so together they can never pass the quota.
 */
export async function reserveStorage(em: EntityManager, user: Pick<IUser, 'id' | 'role'>, bytes: number): Promise<boolean> {
  await em.execute('insert into storage_usage (user_id, used_bytes) values (?, 0) on conflict (user_id) do nothing', [user.id], 'run');
  const rows = await em.execute<{ used_bytes: string }[]>(
    `update storage_usage su set used_bytes = su.used_bytes + ?
      where su.user_id = ? and (${EFFECTIVE_QUOTA} is null or su.used_bytes + ? <= ${EFFECTIVE_QUOTA})
      returning su.used_bytes`,
    [bytes, user.id, user.role, bytes, user.role],
  );
  return rows.length === 1;
}

/** Counts bytes that are not checked against the quota (images the assistant generated). */
export async function addStorage(em: EntityManager, userId: string, bytes: number) {
  await em.execute(
      'insert into storage_usage (user_id, used_bytes) values (?, ?) on conflict (user_id) do update set used_bytes = storage_usage.used_bytes + excluded.used_bytes',
      [userId, bytes],
      'run',
    );
}

/** Gives bytes back when files are deleted. */
export async function releaseStorage(em: EntityManager, userId: string, bytes: number) {
  if (bytes <= 0) return;
  await em.execute('update storage_usage set used_bytes = greatest(0, used_bytes - ?) where user_id = ?', [bytes, userId], 'run');
}

export type StorageSummary = { usedBytes: number; quotaBytes: number | null };

/** What the user has used and may use, for the composer and the usage page. */
export async function storageOf(em: EntityManager, user: Pick<IUser, 'id' | 'role'>): Promise<StorageSummary> {
  const rows = await em.execute<{ used: string | null; quota: string | null }[]>(
    `select su.used_bytes as used, ${EFFECTIVE_QUOTA.replace('su.quota_bytes', '(select quota_bytes from storage_usage where user_id = ?)')} as quota
       from (select 1) one left join storage_usage su on su.user_id = ?`,
    [user.id, user.role, user.id],
  );
  const row = rows[0];
  return { usedBytes: Number(row?.used ?? 0), quotaBytes: row?.quota == null ? null : Number(row.quota) };
}

/** Every role's quota, for the admin app. */
export async function roleQuotas(em: EntityManager) {
  const rows = await em.find(StorageQuota, {}, { orderBy: { role: 'asc' } });
  return rows.map(({ role, quotaBytes }) => ({ role, quotaBytes }));
}

export async function setRoleQuota(em: EntityManager, admin: IUser, role: Role, quotaBytes: number | null) {
  await em.transactional(async (tx) => {
    await tx.upsert(StorageQuota, { role, quotaBytes });
    recordAudit(tx, admin.id, 'storage.quota.role', null, { role, quotaBytes });
  });
}

/** A per-user quota overriding the role's; null goes back to the role's. */
export async function setUserQuota(em: EntityManager, admin: IUser, userId: string, quotaBytes: number | null) {
  await em.transactional(async (tx) => {
    if (!(await tx.count(User, { id: userId }))) throw new NotFoundError('No such user.');
    await tx.execute(
        'insert into storage_usage (user_id, used_bytes, quota_bytes) values (?, 0, ?) on conflict (user_id) do update set quota_bytes = excluded.quota_bytes',
        [userId, quotaBytes],
        'run',
      );
    recordAudit(tx, admin.id, 'storage.quota.user', userId, { quotaBytes });
  });
}

/** The user's own override, or null when the role's quota applies. */
export async function userQuotaOverride(em: EntityManager, userId: string) {
  const row = await em.findOne(StorageUsage, { user: userId });
  return row?.quotaBytes ?? null;
}
