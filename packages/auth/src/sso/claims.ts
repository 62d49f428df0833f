import type { Role } from '@atrium/db';

/** How one identity provider's claims become an Atrium account: the same rules as LDAP groups. */
export type ClaimPolicy = {
  /** Claim values (lower case) to roles: a group, an affiliation (`staff`) or an entitlement URN. */
  roleMap: (readonly [string, Role])[];
  /** When non-empty, only people holding one of these values may sign in. */
  allowedGroups: string[];
  /**
   * The provider's username claim equals the directory uid, so an existing directory account of
   * that name is the same person (docs/decisions/160-identity-linking.md).
   */
  linkByUsername: boolean;
};

/**
 * A configured value matches a claim value when they are equal (case-insensitively), and also
 * when the claim is a more specific spelling of the same thing: a Keycloak group path
 * (`/staff` for `staff`), a scoped affiliation (`staff@uni.edu` for `staff`) or a group DN
 * (`cn=staff,ou=groups,...` for `staff`).
 */
export function claimMatches(configured: string, value: string): boolean {
  const claim = value.trim().toLowerCase();
  if (claim === configured) return true;
  if (configured.includes('@') || configured.includes('=') || configured.includes(':')) return false;
  if (claim.replace(/^\/+/, '') === configured) return true;
  if (/^[^@/:]+@[^@]+$/.test(claim) && claim.slice(0, claim.indexOf('@')) === configured) return true;
  return claim.startsWith(`cn=${configured},`);
}

const ROLE_RANK: Record<Role, number> = { student: 0, staff: 1, admin: 2 };
const highestRole = (roles: Role[]): Role => roles.reduce<Role>((best, role) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best), 'student');

const anyMatches = (configured: string, values: string[]) => values.some((value) => claimMatches(configured, value));

export function roleForClaims(values: string[], roleMap: ClaimPolicy['roleMap']): Role {
  return highestRole(roleMap.filter(([configured]) => anyMatches(configured, values)).map(([, role]) => role));
}

export function passesAllowedGroups(values: string[], allowedGroups: string[]): boolean {
  return allowedGroups.length === 0 || allowedGroups.some((allowed) => anyMatches(allowed, values));
}
