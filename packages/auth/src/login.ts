import {
  ForbiddenError,
  UnauthorizedError,
  UnavailableError,
  User,
  ValidationError,
  type EntityManager,
  type IUser,
} from '@atrium/db';
import { assertNotBanned } from './bans';
import { codePointLength, fitText } from '@atrium/db/text';
import { authenticateWithLdap, LdapAuthError, type LdapConfig, type LdapIdentity } from './ldap';
import { LOCAL_ISSUER, recordIdentity } from './identities';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { applyDirectoryRole } from './role-source';
import { createSession, invalidateUserSessions, touchLogin, type Clock } from './sessions';
import { releaseSignInAttempt, settleSuccessfulSignIn, takeSignInAttempt } from './throttle';

const systemClock: Clock = () => new Date();
const WRONG_CREDENTIALS = 'Wrong username or password.';
/** The users table's column sizes (see the User entity). */
const DISPLAY_NAME_MAX = 255;
const EMAIL_MAX = 320;
const fitsEmail = (email: string | null) => email === null || codePointLength(email) <= EMAIL_MAX;

export type SignInInput = {
  username: string;
  password: string;
  rememberMe: boolean;
  /** The admin app signs in administrators only. */
  requireAdmin?: boolean;
  ip: string | null;
  userAgent: string | null;
};
export type SignInDeps = { ldap: LdapConfig | null; now?: Clock };

/**
 * Local accounts check their argon2id hash; everyone else is asked of the directory, whose
 * answer refreshes the user's name, email and role on every sign-in.
 */
export async function signIn(em: EntityManager, input: SignInInput, deps: SignInDeps) {
  const now = deps.now ?? systemClock;
  const username = input.username.trim().toLowerCase();
  // The attempt is counted before any password is checked, so parallel guesses cannot outrun it.
  const ticket = await takeSignInAttempt(em, username, input.ip, now);

  const existing = await em.findOne(User, { username }, { populate: ['passwordHash'] });
  let user: IUser;
  let identity: { method: 'local' | 'ldap'; issuer: string; subject: string };
  if (existing?.authSource === 'local') {
    const valid = input.password.length > 0 && existing.passwordHash && (await verifyPassword(existing.passwordHash, input.password));
    if (!valid) throw new UnauthorizedError(WRONG_CREDENTIALS);
    user = existing;
    identity = { method: 'local', issuer: LOCAL_ISSUER, subject: user.username };
  } else if (deps.ldap) {
    let directory: LdapIdentity;
    try {
      directory = await authenticateWithLdap(deps.ldap, username, input.password);
    } catch (error) {
      if (!(error instanceof LdapAuthError)) throw error;
      if (error.reason === 'invalid_credentials') {
        // The directory answers "no such user" faster than a local password check: spend that
        // time too, so neither local nor directory usernames can be told apart by timing.
        await verifyAgainstDummy(input.password);
        throw new UnauthorizedError(WRONG_CREDENTIALS);
      }
      if (error.reason === 'not_allowed') throw new ForbiddenError(error.message);
      // The directory's outage is not the person's failed attempt.
      await releaseSignInAttempt(em, ticket);
      throw new UnavailableError(error.message, { cause: error });
    }
    user = await syncLdapUser(em, existing, directory, now);
    identity = { method: 'ldap', issuer: deps.ldap.baseDn.toLowerCase(), subject: directory.username };
  } else {
    // No such account: spend the time a password check takes, so timing does not say who exists.
    await verifyAgainstDummy(input.password);
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }

  // The password was right: whatever is refused next is not a guess.
  await settleSuccessfulSignIn(em, ticket);
  assertNotBanned(user, now());
  if (input.requireAdmin && user.role !== 'admin') throw new ForbiddenError('Only administrators can sign in here.');

  await recordIdentity(em, user, identity, now);
  await touchLogin(em, user.id, now);
  const { token, session } = await createSession(
    em,
    user,
    { type: input.rememberMe ? 'remember_token' : 'active_session', ip: input.ip, userAgent: input.userAgent },
    now,
  );
  return { user, token, session };
}

async function syncLdapUser(em: EntityManager, existing: IUser | null, identity: LdapIdentity, now: Clock) {
  const emailTaken =
    identity.email !== null && (await em.count(User, { email: identity.email, ...(existing ? { id: { $ne: existing.id } } : {}) })) > 0;
  const { role, roleSource } = applyDirectoryRole(existing, identity.role);
  const fields = {
    username: identity.username,
    // Directory values are data, not trusted input: a name longer than the column is cut on a
    // grapheme boundary, and an address too long to store is left out, so the person signs in.
    displayName: fitText(identity.displayName, DISPLAY_NAME_MAX),
    email: emailTaken || !fitsEmail(identity.email) ? (existing?.email ?? null) : identity.email,
    ldapDn: identity.dn,
    directoryCheckedAt: now(),
    role,
    roleSource,
    // An account first made by single sign-on keeps saying so; its directory identity is recorded.
    authSource: existing?.authSource ?? ('ldap' as const),
  };
  const user = existing ?? em.create(User, { ...fields, createdAt: now() });
  em.assign(user, fields);
  await em.flush();
  return user;
}

/** Changes a local password; every other session of the user ends, the current one stays. */
export async function changePassword(
  em: EntityManager,
  userId: string,
  input: { currentPassword: string; newPassword: string; keepSessionId: string | null },
) {
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ['passwordHash'] });
  if (user.authSource !== 'local' || !user.passwordHash) {
    throw new ValidationError('Your password is managed by the university directory.');
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new UnauthorizedError('The current password is not correct.');
  }
  user.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  await invalidateUserSessions(em, user.id, input.keepSessionId ?? undefined);
}

/**
 * Proves that the person at the keyboard is the account's owner before something irreversible:
 * the local password, or a bind to the directory as this user. Each check takes a sign-in
 * attempt first, so this cannot be used to guess a password faster than signing in.
 */
export async function reauthenticate(
  em: EntityManager,
  userId: string,
  input: { password: string; ip: string | null },
  deps: SignInDeps,
) {
  const now = deps.now ?? systemClock;
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ['passwordHash'] });
  const ticket = await takeSignInAttempt(em, user.username, input.ip, now);
  const wrong = () => new UnauthorizedError('The password is not correct.');
  if (input.password.length === 0) throw wrong();
  if (user.authSource === 'local') {
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) throw wrong();
  } else {
    if (!deps.ldap) {
      await releaseSignInAttempt(em, ticket);
      throw new UnavailableError('The university directory is not configured, so your password cannot be checked.');
    }
    try {
      const identity = await authenticateWithLdap(deps.ldap, user.username, input.password);
      if (user.ldapDn && identity.dn.toLowerCase() !== user.ldapDn.toLowerCase()) throw wrong();
    } catch (error) {
      if (!(error instanceof LdapAuthError)) throw error;
      if (error.reason === 'unavailable') {
        await releaseSignInAttempt(em, ticket);
        throw new UnavailableError(error.message, { cause: error });
      }
      // A directory account no longer allowed to sign in may still leave: its password was right.
      if (error.reason !== 'not_allowed') throw wrong();
    }
  }
  await settleSuccessfulSignIn(em, ticket);
  return user;
}
