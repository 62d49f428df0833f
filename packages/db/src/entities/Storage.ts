import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROLES } from './common';
import { User } from './User';

/** How many bytes of files each role may keep (null = no limit). Set by admins. */
export const StorageQuota = defineEntity({
  name: 'StorageQuota',
  tableName: 'storage_quotas',
  properties: {
    role: p.enum(ROLES).primary(),
    quotaBytes: p.bigint('number').nullable(),
  },
});
export type IStorageQuota = InferEntity<typeof StorageQuota>;

/**
 * Bytes of files a user keeps, and an admin's per-user quota overriding the role's (null =
 * the role's). `usedBytes` changes only with one conditional UPDATE, so two uploads racing can
 * never both pass the quota.
 */
export const StorageUsage = defineEntity({
  name: 'StorageUsage',
  tableName: 'storage_usage',
  properties: {
    user: () => p.oneToOne(User).primary().deleteRule('cascade'),
    usedBytes: p.bigint('number').default(0),
    quotaBytes: p.bigint('number').nullable(),
  },
});
export type IStorageUsage = InferEntity<typeof StorageUsage>;
