import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { Session, User, type EntityManager, type ISession, type IUser, type SessionType } from '@atrium/db';
import { isBanActive } from './bans';
import { fitText } from '@atrium/db/text';

/**
 * Sessions after Lucia's current guide: a random token goes to the client, its SHA-256 is the
 * stored id. Both kinds slide: each use within the renewal window pushes the expiry out again.
 */
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_POLICY: Record<SessionType, { lifetimeMs: number; renewWithinMs: number }> = {
  active_session: { lifetimeMs: DAY, renewWithinMs: DAY / 2 },
  remember_token: { lifetimeMs: 30 * DAY, renewWithinMs: 15 * DAY },
};
// Recording "last seen" on every request would make each read a write.
const LAST_SEEN_PRECISION_MS = 60_000;

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export const sessionIdFromToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export type NewSession = { type: SessionType; userAgent?: string | null; ip?: string | null; signInMethod?: string | null };

export async function createSession(em: EntityManager, user: IUser, options: NewSession, now: Clock = systemClock) {
  const token = generateSessionToken();
  const created = now();
  const session = em.create(Session, {
    id: sessionIdFromToken(token),
    user,
    type: options.type,
    expiresAt: new Date(created.getTime() + SESSION_POLICY[options.type].lifetimeMs),
    userAgent: options.userAgent ? fitText(options.userAgent, 512) : null,
    ip: options.ip?.slice(0, 64) ?? null,
    signInMethod: options.signInMethod ?? null,
    createdAt: created,
    lastSeenAt: created,
  });
  await em.flush();
  return { token, session };
}

/**
 * A session made by single sign-on does not slide: it ends a fixed lifetime after the sign-in, and
 * the browser goes back through the identity provider (usually without a password prompt while
 * the provider's own session lasts), which re-reads the person's claims. That is how a change at
 * the provider (a role, a removed group) reaches Atrium without storing refresh tokens
 * (docs/decisions/162).
 */
const slides = (session: { signInMethod?: string | null }) => !session.signInMethod;

/** What a request knows of its session (the row, read with its user). */
export type ValidSession = Pick<ISession, 'id' | 'type' | 'expiresAt' | 'lastSeenAt' | 'signInMethod'> & { user: IUser };

type SessionRow = Record<string, unknown> & {
  atrium_session_type: SessionType;
  atrium_session_expires_at: Date | string;
  atrium_session_last_seen_at: Date | string;
  atrium_session_sign_in_method: string | null;
};

/** The user's columns a request loads (what `findOne` loads: everything but the lazy password hash). */
const userColumns = (() => {
  let columns: string | null = null;
  return (em: EntityManager) =>
    (columns ??= em
      .getMetadata(User)
      .props.filter((prop) => !prop.lazy && prop.persist !== false && (prop.kind === 'scalar' || prop.kind === 'm:1'))
      .flatMap((prop) => prop.fieldNames)
      .map((column) => `u.${column}`)
      .join(', '));
})();

/**
 * The session and user behind a token, renewing it when due; null if unknown, expired or banned.
 * Every request asks, so it is one hand-written statement: the session's columns beside the
 * user's, which becomes the request's managed user entity (`findOne` with a populated user cost
 * ~1 ms of CPU per request in query building and hydration, the statement itself ~0.2 ms).
 */
export async function validateSessionToken(em: EntityManager, token: string, now: Clock = systemClock): Promise<{ session: ValidSession; user: IUser; renewed: boolean } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const [row] = await em.execute<SessionRow[]>(
    `select ${userColumns(em)}, s.type as atrium_session_type, s.expires_at as atrium_session_expires_at,
       s.last_seen_at as atrium_session_last_seen_at, s.sign_in_method as atrium_session_sign_in_method
     from sessions s join users u on u.id = s.user_id where s.id = ?`,
    [id],
  );
  if (!row) return null;
  const { atrium_session_type: type, atrium_session_expires_at: expiresAt, atrium_session_last_seen_at: lastSeenAt, atrium_session_sign_in_method: signInMethod, ...columns } = row;
  const user = em.map(User, columns) as IUser;
  const session: ValidSession = { id, user, type, expiresAt: new Date(expiresAt), lastSeenAt: new Date(lastSeenAt), signInMethod };
  const at = now();
  if (session.expiresAt.getTime() <= at.getTime() || isBanActive(user, at)) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  const policy = SESSION_POLICY[session.type];
  let renewed = false;
  if (slides(session) && session.expiresAt.getTime() - at.getTime() < policy.renewWithinMs) {
    session.expiresAt = new Date(at.getTime() + policy.lifetimeMs);
    renewed = true;
  }
  if (renewed || at.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_PRECISION_MS) {
    session.lastSeenAt = at;
    await em.execute('update sessions set expires_at = ?, last_seen_at = ? where id = ?', [session.expiresAt, session.lastSeenAt, id]);
  }
  return { session, user, renewed };
}

export async function invalidateSession(em: EntityManager, sessionId: string, userId?: string) {
  return em.nativeDelete(Session, userId ? { id: sessionId, user: userId } : { id: sessionId });
}

/** Ends every session of a user, optionally keeping one (the caller's own). */
export async function invalidateUserSessions(em: EntityManager, userId: string, keepSessionId?: string) {
  return em.nativeDelete(Session, keepSessionId ? { user: userId, id: { $ne: keepSessionId } } : { user: userId });
}

export async function listUserSessions(em: EntityManager, userId: string, now: Clock = systemClock) {
  return em.find(Session, { user: userId, expiresAt: { $gt: now() } }, { orderBy: { lastSeenAt: 'desc' } });
}

export async function deleteExpiredSessions(em: EntityManager, now: Clock = systemClock) {
  return em.nativeDelete(Session, { expiresAt: { $lte: now() } });
}

export async function touchLogin(em: EntityManager, userId: string, now: Clock = systemClock) {
  await em.nativeUpdate(User, { id: userId }, { lastLoginAt: now() });
}
