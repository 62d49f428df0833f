import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { Session, User, type EntityManager, type ISession, type IUser, type SessionType } from '@atrium/db';
import { isBanActive } from './bans';
import { fitText } from '@atrium/db/text';
import { sessionCacheOf, type CachedSession } from './session-cache';
import { cachedUser, userColumns, userOf } from './user-row';

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

/**
 * The session's row with its user's, as the database has it now; null when there is none. One
 * hand-written statement: `findOne` with a populated user cost ~1 ms of CPU in query building and
 * hydration, the statement itself ~0.2 ms.
 */
async function readSession(em: EntityManager, id: string, at: number): Promise<CachedSession | null> {
  const [row] = await em.execute<SessionRow[]>(
    `select ${userColumns(em)}, s.type as atrium_session_type, s.expires_at as atrium_session_expires_at,
       s.last_seen_at as atrium_session_last_seen_at, s.sign_in_method as atrium_session_sign_in_method
     from sessions s join users u on u.id = s.user_id where s.id = ?`,
    [id],
  );
  if (!row) return null;
  const { atrium_session_type: type, atrium_session_expires_at: expiresAt, atrium_session_last_seen_at: lastSeenAt, atrium_session_sign_in_method: signInMethod, ...columns } = row;
  return Object.freeze({
    ...cachedUser(columns),
    type,
    expiresAt: new Date(expiresAt).getTime(),
    lastSeenAt: new Date(lastSeenAt).getTime(),
    signInMethod,
    readAt: at,
  });
}

/**
 * The session and user behind a token, renewing it when due; null if unknown, expired or banned.
 * Every request asks, so the answer is cached per session (session-cache.ts): a request whose
 * session was read within the last ten minutes and has not changed since sends no statement at all.
 * A refusal is never made on the cached word alone: the row is read again first.
 */
export async function validateSessionToken(
  em: EntityManager,
  token: string,
  now: Clock = systemClock,
): Promise<{ session: ValidSession; user: IUser; renewed: boolean; touched: Promise<unknown> } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  // Inside a transaction the row read may be this transaction's own uncommitted change: no cache.
  const cache = em.isInTransaction() ? null : sessionCacheOf(em);
  const at = now();
  let entry = cache?.get(id);
  let user = entry && userOf(em, entry);
  if (!entry || entry.expiresAt <= at.getTime() || isBanActive(user!, at)) {
    const mark = cache?.mark();
    const read = await readSession(em, id, performance.now());
    if (!read) {
      cache?.delete(id);
      return null;
    }
    entry = read;
    user = userOf(em, entry);
    if (entry.expiresAt <= at.getTime() || isBanActive(user, at)) {
      cache?.delete(id);
      await em.nativeDelete(Session, { id });
      return null;
    }
    cache?.put(id, entry, mark!);
  }
  const session: ValidSession = { id, user: user!, type: entry.type, expiresAt: new Date(entry.expiresAt), lastSeenAt: new Date(entry.lastSeenAt), signInMethod: entry.signInMethod };
  const policy = SESSION_POLICY[session.type];
  let renewed = false;
  if (slides(session) && session.expiresAt.getTime() - at.getTime() < policy.renewWithinMs) {
    session.expiresAt = new Date(at.getTime() + policy.lifetimeMs);
    renewed = true;
  }
  // The touch is not waited for: a student back after a minute would otherwise wait for a write and
  // its commit before anything else (~2 ms before a question's first token). The caller logs a
  // failure (`touched`); a renewal that failed is tried again by the next request.
  let touched: Promise<unknown> = Promise.resolve();
  if (renewed || at.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_PRECISION_MS) {
    session.lastSeenAt = at;
    // These exact shapes are the touch watch.ts lets through: this process updates its own copy.
    // Only a renewal writes the expiry: a copy read before another replica's renewal cannot undo it.
    touched = renewed
      ? em.execute('update sessions set expires_at = ?, last_seen_at = ? where id = ?', [session.expiresAt, at, id])
      : em.execute('update sessions set last_seen_at = ? where id = ?', [at, id]);
    touched.catch(() => {}); // never an unhandled rejection, whoever holds it
    // A caller's transaction ends with its work: the write must be in it by then.
    if (em.isInTransaction()) await touched;
    cache?.replace(id, entry, Object.freeze({ ...entry, expiresAt: session.expiresAt.getTime(), lastSeenAt: at.getTime() }));
  }
  return { session, user: user!, renewed, touched };
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
