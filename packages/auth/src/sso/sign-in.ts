import { User, type EntityManager, type IUser } from '@atrium/db';
import { isBanActive } from '../bans';
import { findIdentityOwner, recordIdentity } from '../identities';
import { applyDirectoryRole } from '../role-source';
import { createSession, touchLogin, type Clock } from '../sessions';
import { passesAllowedGroups, roleForClaims, type ClaimPolicy } from './claims';
import { SsoError } from './errors';

/** What a verified OIDC ID token or SAML assertion says about the person, in one shape. */
export type SsoProfile = {
  method: 'oidc' | 'saml';
  /** The OpenID issuer URL or the SAML IdP entity id. */
  issuer: string;
  /** `sub`, or the SAML subject attribute (eduPersonPrincipalName by default): stable and never reassigned. */
  subject: string;
  /** The provider's username claim (for OIDC `preferred_username`, for SAML `uid`), if released. */
  username: string | null;
  email: string | null;
  displayName: string | null;
  /** Groups, affiliations and entitlements: what the role map and the allowed-groups gate read. */
  claims: string[];
};

export type SsoSignInOptions = {
  /** Short id of the provider in Atrium's settings (`keycloak`, `saml`): names its accounts apart. */
  providerId: string;
  policy: ClaimPolicy;
  requireAdmin: boolean;
  ip: string | null;
  userAgent: string | null;
  now: Clock;
};

const USERNAME_MAX = 64;

/** Lower case letters, digits, dots, dashes and underscores, as local usernames are. */
export function usernameFrom(raw: string): string {
  const cleaned = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, USERNAME_MAX);
  return cleaned.length >= 3 ? cleaned : `user-${cleaned || 'sso'}`.slice(0, USERNAME_MAX);
}

/**
 * Signs a person in from a verified SSO profile, in one transaction: a refusal (allowed groups,
 * admin-only app, suspension) leaves nothing behind. The linking rule (docs/decisions/160):
 * 1. the (method, issuer, subject) identity names the user, whatever their name is now;
 * 2. otherwise, when the provider's username claim is the directory uid (`linkByUsername`), an
 *    existing directory or SSO account of that name is the same person; local password accounts
 *    are never taken over;
 * 3. otherwise a new account, named `<username>.<provider>` when linking is off so that it can
 *    never be confused with a directory uid.
 * Roles come from the claims at every sign-in unless an admin overrode them.
 */
export async function signInWithSso(em: EntityManager, profile: SsoProfile, options: SsoSignInOptions) {
  const { policy, now } = options;
  if (!profile.subject) throw new SsoError('invalid', 'The identity provider did not say who signed in.');
  if (!passesAllowedGroups(profile.claims, policy.allowedGroups)) {
    throw new SsoError('not_allowed', 'Your account is not permitted to use this service.');
  }
  const directoryRole = roleForClaims(profile.claims, policy.roleMap);
  const key = { method: profile.method, issuer: profile.issuer, subject: profile.subject };

  return em.transactional(async (tx) => {
    const user = (await findIdentityOwner(tx, key)) ?? (await linkableUser(tx, profile, options));
    const { role, roleSource } = applyDirectoryRole(user, directoryRole);
    if (user && isBanActive(user, now())) throw new SsoError('suspended', 'This account is suspended. Contact an administrator.');
    if (options.requireAdmin && role !== 'admin') throw new SsoError('admin_only', 'Only administrators can sign in here.');

    const signedIn = user ?? (await createSsoUser(tx, profile, options));
    await refreshProfile(tx, signedIn, profile);
    signedIn.role = role;
    signedIn.roleSource = roleSource;
    await tx.flush();
    await recordIdentity(tx, signedIn, key, now);
    await touchLogin(tx, signedIn.id, now);
    const { token, session } = await createSession(
      tx,
      signedIn,
      { type: 'active_session', ip: options.ip, userAgent: options.userAgent, signInMethod: `${profile.method}:${options.providerId}` },
      now,
    );
    return { user: signedIn, token, session };
  });
}

async function linkableUser(em: EntityManager, profile: SsoProfile, options: SsoSignInOptions): Promise<IUser | null> {
  if (!options.policy.linkByUsername || !profile.username) return null;
  const existing = await em.findOne(User, { username: usernameFrom(profile.username) });
  return existing && existing.authSource !== 'local' ? existing : null;
}

async function createSsoUser(em: EntityManager, profile: SsoProfile, options: SsoSignInOptions) {
  const base = usernameFrom(profile.username ?? profile.email?.split('@')[0] ?? profile.subject);
  const preferred = options.policy.linkByUsername ? base : usernameFrom(`${base.slice(0, USERNAME_MAX - options.providerId.length - 1)}.${options.providerId}`);
  const username = await freeUsername(em, preferred);
  const user = em.create(User, {
    username,
    displayName: profile.displayName?.trim() || username,
    email: null,
    role: 'student',
    authSource: profile.method,
    createdAt: options.now(),
  });
  return user;
}

/** `name`, or `name-2`, `name-3`, ...: the first one nobody has. */
async function freeUsername(em: EntityManager, name: string) {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${name.slice(0, USERNAME_MAX - suffix.length)}${suffix}`;
    if ((await em.count(User, { username: candidate })) === 0) return candidate;
  }
}

/** Name and email follow the provider; an email another account already uses is not taken over. */
async function refreshProfile(em: EntityManager, user: IUser, profile: SsoProfile) {
  if (profile.displayName?.trim()) user.displayName = profile.displayName.trim().slice(0, 255);
  const email = profile.email?.trim().toLowerCase() || null;
  if (email && email !== user.email) {
    const taken = (await em.count(User, { email, ...(user.id ? { id: { $ne: user.id } } : {}) })) > 0;
    if (!taken) user.email = email.slice(0, 320);
  }
}
