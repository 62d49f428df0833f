import { readFileSync } from 'node:fs';
import { Client, EqualityFilter, InvalidCredentialsError, type Entry } from 'ldapts';
import type { Role } from '@atrium/db';
import type { AuthEnv } from './env';

export type LdapConfig = {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  usernameAttribute: string;
  /** Groups (a cn or a full DN, lower case) to roles; the highest role a user's groups grant wins. */
  groupRoles: (readonly [string, Role])[];
  /** When non-empty, only members of one of these groups (cn or full DN, lower case) may sign in. */
  allowedGroups: string[];
  timeoutMs: number;
  tls?: { rejectUnauthorized: boolean; ca?: Buffer };
};

export function ldapConfigFromEnv(env: AuthEnv): LdapConfig | null {
  if (!env.LDAP_URL) return null;
  return {
    url: env.LDAP_URL,
    bindDn: env.LDAP_BIND_DN,
    bindPassword: env.LDAP_BIND_PASSWORD,
    baseDn: env.LDAP_BASE_DN,
    usernameAttribute: env.LDAP_USER_FILTER_ATTRIBUTE,
    groupRoles: env.LDAP_GROUP_ROLE_MAP,
    allowedGroups: env.LDAP_ALLOWED_GROUPS,
    timeoutMs: env.LDAP_TIMEOUT_MS,
    tls: env.LDAP_URL.startsWith('ldaps:')
      ? {
          rejectUnauthorized: env.LDAP_TLS_REJECT_UNAUTHORIZED,
          ...(env.LDAP_TLS_CA_FILE ? { ca: readFileSync(env.LDAP_TLS_CA_FILE) } : {}),
        }
      : undefined,
  };
}

export type LdapIdentity = {
  dn: string;
  username: string;
  email: string | null;
  displayName: string;
  groups: string[];
  role: Role;
};

/** Why a directory sign-in failed; only `unavailable` is the directory's fault. */
export type LdapFailure = 'invalid_credentials' | 'not_allowed' | 'unavailable';
export class LdapAuthError extends Error {
  constructor(
    readonly reason: LdapFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const ROLE_RANK: Record<Role, number> = { student: 0, staff: 1, admin: 2 };

/** A configured group names a DN either in full or by its cn alone. */
const groupMatches = (configured: string, groupDn: string) =>
  groupDn === configured || (!configured.includes('=') && groupDn.startsWith(`cn=${configured},`));

export function roleForGroups(groups: string[], groupRoles: LdapConfig['groupRoles']): Role {
  const lowered = groups.map((group) => group.toLowerCase());
  return groupRoles
    .filter(([configured]) => lowered.some((dn) => groupMatches(configured, dn)))
    .reduce<Role>((best, [, role]) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best), 'student');
}

const first = (entry: Entry, attribute: string): string | null => {
  const value = entry[attribute];
  const single = Array.isArray(value) ? value[0] : value;
  if (single === undefined) return null;
  return Buffer.isBuffer(single) ? single.toString('utf8') : String(single);
};

/**
 * Service bind → find the user by the configured attribute (escaped filter) → bind as the user →
 * read group memberships. An empty password never reaches the server: some servers treat it as
 * an anonymous bind that "succeeds".
 */
export async function authenticateWithLdap(config: LdapConfig, username: string, password: string): Promise<LdapIdentity> {
  if (!username.trim() || !password.trim()) throw new LdapAuthError('invalid_credentials', 'Wrong username or password.');
  const client = new Client({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
    ...(config.tls ? { tlsOptions: config.tls } : {}),
  });
  try {
    await bindOrFail(client, config.bindDn, config.bindPassword, 'service');
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: config.usernameAttribute, value: username.trim() }),
      attributes: ['dn', config.usernameAttribute, 'mail', 'displayName', 'cn'],
      sizeLimit: 2,
    });
    if (searchEntries.length !== 1) throw new LdapAuthError('invalid_credentials', 'Wrong username or password.');
    const entry = searchEntries[0]!;
    await bindOrFail(client, entry.dn, password, 'user');

    // Read groups with the service account again: users often may not search groups themselves.
    await bindOrFail(client, config.bindDn, config.bindPassword, 'service');
    const groups = await client.search(config.baseDn, {
      scope: 'sub',
      filter: `(|${['member', 'uniqueMember'].map((attribute) => new EqualityFilter({ attribute, value: entry.dn }).toString()).join('')})`,
      attributes: ['dn'],
    });
    const groupDns = groups.searchEntries.map((group) => group.dn.toLowerCase());
    if (config.allowedGroups.length && !groupDns.some((dn) => config.allowedGroups.some((allowed) => groupMatches(allowed, dn)))) {
      throw new LdapAuthError('not_allowed', 'Your account is not permitted to use this service.');
    }
    const canonicalUsername = first(entry, config.usernameAttribute) ?? username.trim();
    return {
      dn: entry.dn,
      username: canonicalUsername.toLowerCase(),
      email: first(entry, 'mail'),
      displayName: first(entry, 'displayName') ?? first(entry, 'cn') ?? canonicalUsername,
      groups: groupDns,
      role: roleForGroups(groupDns, config.groupRoles),
    };
  } catch (error) {
    if (error instanceof LdapAuthError) throw error;
    throw new LdapAuthError('unavailable', 'The university directory cannot be reached right now. Please try again shortly.', {
      cause: error,
    });
  } finally {
    await client.unbind().catch(() => {});
  }
}

async function bindOrFail(client: Client, dn: string, password: string, who: 'service' | 'user') {
  try {
    await client.bind(dn, password);
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      if (who === 'user') throw new LdapAuthError('invalid_credentials', 'Wrong username or password.');
      throw new LdapAuthError('unavailable', 'The directory service account was refused; tell an administrator.', { cause: error });
    }
    throw error;
  }
}
