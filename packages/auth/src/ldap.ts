import { readFileSync } from 'node:fs';
import { Client, EqualityFilter, ExtensibleFilter, InvalidCredentialsError, OrFilter, type Entry, type Filter } from 'ldapts';
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
  /** Upgrade an `ldap://` connection with StartTLS before anything is sent (never falls back to plain text). */
  startTls?: boolean;
  /** How many levels of groups-in-groups are followed above a user's own groups (0: direct membership only; default 5). */
  groupNestingDepth?: number;
  /**
   * Active Directory: let the server resolve nesting with LDAP_MATCHING_RULE_IN_CHAIN
   * (1.2.840.113556.1.4.1941) in one search instead of walking the levels here.
   */
  matchingRuleInChain?: boolean;
  /** How old a directory user's last group check may be before an admin procedure or session renewal checks again (default 5 minutes). */
  recheckIntervalMs?: number;
  tls?: { rejectUnauthorized: boolean; ca?: Buffer };
};

export const DEFAULT_GROUP_NESTING_DEPTH = 5;
export const DEFAULT_RECHECK_INTERVAL_MS = 5 * 60_000;
/** Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: matches through any number of nested groups. */
export const MATCHING_RULE_IN_CHAIN = '1.2.840.113556.1.4.1941';

export function ldapConfigFromEnv(env: AuthEnv): LdapConfig | null {
  if (!env.LDAP_URL) return null;
  const secure = env.LDAP_URL.startsWith('ldaps:');
  if (secure && env.LDAP_STARTTLS) throw new Error('LDAP_STARTTLS is for ldap:// URLs; an ldaps:// connection is already encrypted.');
  return {
    url: env.LDAP_URL,
    bindDn: env.LDAP_BIND_DN,
    bindPassword: env.LDAP_BIND_PASSWORD,
    baseDn: env.LDAP_BASE_DN,
    usernameAttribute: env.LDAP_USER_FILTER_ATTRIBUTE,
    groupRoles: env.LDAP_GROUP_ROLE_MAP,
    allowedGroups: env.LDAP_ALLOWED_GROUPS,
    timeoutMs: env.LDAP_TIMEOUT_MS,
    startTls: env.LDAP_STARTTLS,
    groupNestingDepth: env.LDAP_GROUP_NESTING_DEPTH,
    matchingRuleInChain: env.LDAP_MATCHING_RULE_IN_CHAIN,
    recheckIntervalMs: env.LDAP_RECHECK_INTERVAL_SECONDS * 1000,
    tls:
      secure || env.LDAP_STARTTLS
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
  return withDirectory(config, async (client) => {
    await bindOrFail(client, config.bindDn, config.bindPassword, 'service');
    const entry = await findUserEntry(client, config, username);
    if (!entry) throw new LdapAuthError('invalid_credentials', 'Wrong username or password.');
    await bindOrFail(client, entry.dn, password, 'user');
    // Read groups with the service account again: users often may not search groups themselves.
    await bindOrFail(client, config.bindDn, config.bindPassword, 'service');
    return identityOf(client, config, entry, username);
  });
}

/**
 * What the directory says about a user now, asked with the service account alone (no password):
 * the periodic re-check of a signed-in directory user. Null when the user is no longer in the
 * directory; `not_allowed` when they are no longer in an allowed group.
 */
export async function lookUpLdapUser(config: LdapConfig, username: string): Promise<LdapIdentity | null> {
  return withDirectory(config, async (client) => {
    await bindOrFail(client, config.bindDn, config.bindPassword, 'service');
    const entry = await findUserEntry(client, config, username);
    return entry ? identityOf(client, config, entry, username) : null;
  });
}

/** Opens a connection (upgraded by StartTLS when configured), runs `work`, and always unbinds. */
async function withDirectory<T>(config: LdapConfig, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
    ...(config.tls && !config.startTls ? { tlsOptions: config.tls } : {}),
  });
  try {
    // Before any bind: the service and user passwords must never cross the wire in clear text.
    if (config.startTls) await client.startTLS(config.tls ?? { rejectUnauthorized: true });
    return await work(client);
  } catch (error) {
    if (error instanceof LdapAuthError) throw error;
    const tlsProblem = tlsFailure(error);
    if (tlsProblem) {
      throw new LdapAuthError(
        'unavailable',
        `The directory's TLS certificate was refused (${tlsProblem}); tell an administrator (LDAP_TLS_CA_FILE names the CA that signed it).`,
        { cause: error },
      );
    }
    throw new LdapAuthError('unavailable', 'The university directory cannot be reached right now. Please try again shortly.', {
      cause: error,
    });
  } finally {
    await client.unbind().catch(() => {});
  }
}

/** Node's certificate verification codes (an untrusted CA, a name mismatch, an expired certificate). */
function tlsFailure(error: unknown): string | null {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ALTNAME/.test(code)) return current.message;
  }
  return null;
}

async function findUserEntry(client: Client, config: LdapConfig, username: string): Promise<Entry | null> {
  const { searchEntries } = await client.search(config.baseDn, {
    scope: 'sub',
    filter: new EqualityFilter({ attribute: config.usernameAttribute, value: username.trim() }),
    attributes: ['dn', config.usernameAttribute, 'mail', 'displayName', 'cn'],
    sizeLimit: 2,
  });
  return searchEntries.length === 1 ? searchEntries[0]! : null;
}

async function identityOf(client: Client, config: LdapConfig, entry: Entry, username: string): Promise<LdapIdentity> {
  const groupDns = await groupsOf(client, config, entry.dn);
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
}

const MEMBER_ATTRIBUTES = ['member', 'uniqueMember'];
// A group of a thousand subgroups still becomes a few bounded searches, not one huge filter.
const MEMBERS_PER_SEARCH = 50;

/**
 * Every group the user is in, directly or through groups that are members of groups, as lower
 * case DNs. Active Directory can answer that in one search (LDAP_MATCHING_RULE_IN_CHAIN); other
 * servers are walked level by level: each level asks which groups have the previous level as a
 * member. Groups already seen are not asked about again, so a cycle (a ∈ b ∈ a) ends, and the walk
 * stops after `groupNestingDepth` levels above the user's own groups.
 */
export async function groupsOf(client: Client, config: LdapConfig, memberDn: string): Promise<string[]> {
  if (config.matchingRuleInChain) {
    const { searchEntries } = await client.search(config.baseDn, { scope: 'sub', filter: inChainFilter(memberDn), attributes: ['dn'] });
    return [...new Set(searchEntries.map((group) => group.dn.toLowerCase()))];
  }
  const seen = new Set<string>();
  let level = [memberDn];
  for (let depth = 0; depth <= (config.groupNestingDepth ?? DEFAULT_GROUP_NESTING_DEPTH) && level.length > 0; depth++) {
    const next: string[] = [];
    for (let at = 0; at < level.length; at += MEMBERS_PER_SEARCH) {
      const members = level.slice(at, at + MEMBERS_PER_SEARCH);
      const filter = new OrFilter({
        filters: members.flatMap((dn) => MEMBER_ATTRIBUTES.map((attribute) => new EqualityFilter({ attribute, value: dn }))),
      });
      const { searchEntries } = await client.search(config.baseDn, { scope: 'sub', filter, attributes: ['dn'] });
      for (const group of searchEntries) {
        const dn = group.dn.toLowerCase();
        if (seen.has(dn)) continue;
        seen.add(dn);
        next.push(group.dn);
      }
    }
    level = next;
  }
  return [...seen];
}

/** `(member:1.2.840.113556.1.4.1941:=<dn>)`: groups the DN belongs to at any depth (Active Directory). */
export const inChainFilter = (memberDn: string): Filter =>
  new ExtensibleFilter({ matchType: 'member', rule: MATCHING_RULE_IN_CHAIN, value: memberDn });

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
