import { Identity, type EntityManager, type IdentityMethod, type IUser } from '@atrium/db';
import type { Clock } from './sessions';

/** Issuer of the identities Atrium itself vouches for (local passwords and invites). */
export const LOCAL_ISSUER = 'atrium';

/**
 * Remembers that `user` signed in as (method, issuer, subject), or moves its last-seen time on.
 * One statement: concurrent first sign-ins of the same person cannot create two rows.
 */
export async function recordIdentity(
  em: EntityManager,
  user: IUser,
  key: { method: IdentityMethod; issuer: string; subject: string },
  now: Clock,
) {
  const at = now();
  await em.upsert(
    Identity,
    { user, method: key.method, issuer: key.issuer.slice(0, 512), subject: key.subject.slice(0, 512), firstSeenAt: at, lastSeenAt: at },
    { onConflictFields: ['method', 'issuer', 'subject'], onConflictMergeFields: ['lastSeenAt'] },
  );
}

/** The user a (method, issuer, subject) already belongs to, if any. */
export async function findIdentityOwner(em: EntityManager, key: { method: IdentityMethod; issuer: string; subject: string }) {
  const identity = await em.findOne(Identity, { method: key.method, issuer: key.issuer, subject: key.subject }, { populate: ['user'] });
  return (identity?.user as IUser | undefined) ?? null;
}

/** How a user has signed in, newest first: what the admin app shows on a user's page. */
export async function listIdentities(em: EntityManager, userId: string) {
  const identities = await em.find(Identity, { user: userId }, { orderBy: { lastSeenAt: 'desc' } });
  return identities.map((identity): { method: IdentityMethod; issuer: string; subject: string; firstSeenAt: Date; lastSeenAt: Date } => ({
    method: identity.method,
    issuer: identity.issuer,
    subject: identity.subject,
    firstSeenAt: identity.firstSeenAt,
    lastSeenAt: identity.lastSeenAt,
  }));
}
