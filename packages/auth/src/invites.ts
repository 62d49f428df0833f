import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  Invite,
  NotFoundError,
  User,
  ValidationError,
  type EntityManager,
  type IUser,
  type Role,
} from '@atrium/db';
import { recordAudit } from './audit';
import { hashPassword } from './password';
import type { Clock } from './sessions';
import { LOCAL_ISSUER, recordIdentity } from './identities';

const systemClock: Clock = () => new Date();

/** Codes are read aloud and typed: no look-alike characters, grouped for reading. */
function generateInviteCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(12);
  const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
export const normalizeInviteCode = (code: string) => code.trim().toUpperCase();

export async function createInvite(
  em: EntityManager,
  admin: IUser,
  options: { role: Role; expiresAt?: Date | null; note?: string | null },
) {
  return em.transactional(async (tx) => {
    const invite = tx.create(Invite, {
      code: generateInviteCode(),
      createdBy: admin.id,
      role: options.role,
      expiresAt: options.expiresAt ?? null,
      note: options.note ?? null,
    });
    recordAudit(tx, admin.id, 'invite.create', invite.id, { role: options.role, expiresAt: options.expiresAt ?? null });
    return invite;
  });
}

export async function listInvites(em: EntityManager, options: { limit: number; offset: number }) {
  const [items, total] = await em.findAndCount(
    Invite,
    {},
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: options.limit, offset: options.offset, populate: ['usedBy', 'createdBy'] },
  );
  return { items, total };
}

export async function revokeInvite(em: EntityManager, admin: IUser, inviteId: string, now: Clock = systemClock) {
  return em.transactional(async (tx) => {
    const invite = await tx.findOne(Invite, { id: inviteId });
    if (!invite) throw new NotFoundError('No such invite.');
    if (invite.isUsed) throw new ConflictError('This invite has already been used.');
    invite.revokedAt ??= now();
    recordAudit(tx, admin.id, 'invite.revoke', invite.id);
    return invite;
  });
}

export type Registration = { code: string; username: string; displayName: string; email?: string | null; password: string };

/**
 * Creates a local account from an invite. The invite is claimed by one conditional UPDATE, so
 * two people racing with the same code cannot both get an account.
 */
export async function registerWithInvite(em: EntityManager, registration: Registration, now: Clock = systemClock) {
  const at = now();
  const passwordHash = await hashPassword(registration.password);
  return em.transactional(async (tx) => {
    const username = registration.username.trim().toLowerCase();
    if (await tx.count(User, { username })) throw new ConflictError('That username is taken.');
    if (registration.email && (await tx.count(User, { email: registration.email }))) {
      throw new ConflictError('An account with that email already exists.');
    }
    const claimed = await tx.execute<{ id: string; role: Role }[]>(
      `update invites set is_used = true, used_at = ?
       where code = ? and is_used = false and revoked_at is null and (expires_at is null or expires_at > ?)
       returning id, role`,
      [at, normalizeInviteCode(registration.code), at],
    );
    const invite = claimed[0];
    if (!invite) throw new ValidationError('This invite code is not valid, has expired, or was already used.');
    const user = tx.create(User, {
      username,
      displayName: registration.displayName.trim(),
      email: registration.email?.trim() || null,
      role: invite.role,
      authSource: 'local',
      passwordHash,
      lastLoginAt: at,
    });
    await tx.flush();
    await tx.nativeUpdate(Invite, { id: invite.id }, { usedBy: user.id });
    await recordIdentity(tx, user, { method: 'local', issuer: LOCAL_ISSUER, subject: username }, now);
    return user;
  });
}
