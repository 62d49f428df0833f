import { z } from 'zod';

const roleMap = z
  .string()
  .transform((value, ctx) => {
    // "admins:admin;cn=staff,ou=groups,dc=example,dc=edu:staff": a group (cn or full DN), a colon, a role.
    const entries = value
      .split(';')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.lastIndexOf(':');
        return [pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim()] as const;
      });
    for (const [group, role] of entries) {
      if (!group || !['student', 'staff', 'admin'].includes(role)) {
        ctx.addIssue({ code: 'custom', message: `LDAP_GROUP_ROLE_MAP entry "${group}=${role}" must map a group DN to student, staff or admin` });
        return z.NEVER;
      }
    }
    return entries as (readonly [string, 'student' | 'staff' | 'admin'])[];
  });

const dnList = z.string().transform((value) =>
  value
    .split(';')
    .map((dn) => dn.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  SESSION_SECURE_COOKIE: z.stringbool().optional(),
  LDAP_URL: z.string().optional(),
  LDAP_BIND_DN: z.string().default(''),
  LDAP_BIND_PASSWORD: z.string().default(''),
  LDAP_BASE_DN: z.string().default(''),
  LDAP_USER_FILTER_ATTRIBUTE: z.string().regex(/^[A-Za-z][\w-]*$/).default('uid'),
  LDAP_GROUP_ROLE_MAP: roleMap.prefault(''),
  LDAP_ALLOWED_GROUPS: dnList.prefault(''),
  LDAP_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  LDAP_TLS_REJECT_UNAUTHORIZED: z.stringbool().default(true),
  LDAP_TLS_CA_FILE: z.string().optional(),
  LDAP_STARTTLS: z.stringbool().default(false),
  LDAP_GROUP_NESTING_DEPTH: z.coerce.number().int().min(0).max(20).default(5),
  LDAP_MATCHING_RULE_IN_CHAIN: z.stringbool().default(false),
  LDAP_RECHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
});

export type AuthEnv = z.infer<typeof schema>;

export function readAuthEnv(source: NodeJS.ProcessEnv = process.env): AuthEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid auth environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
