import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ClaimPolicy } from './claims';

export type OidcProviderConfig = ClaimPolicy & {
  /** Short id used in URLs (`/auth/oidc/<id>`) and in the environment (`OIDC_<ID>_*`). */
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string;
  usernameClaim: string;
  groupsClaims: string[];
  /** Ask the UserInfo endpoint too, for providers that keep groups out of the ID token. */
  useUserInfo: boolean;
};

export type SamlProviderConfig = ClaimPolicy & {
  id: 'saml';
  displayName: string;
  idpMetadata: { file: string } | { url: string };
  /** Which IdP of a federation aggregate; needed when the metadata names more than one. */
  idpEntityId: string | null;
  /** The SP entity id; defaults to the web app's metadata URL. */
  spEntityId: string | null;
  /** PEM key and certificate: sign AuthnRequests, decrypt encrypted assertions, published in metadata. */
  spPrivateKey: string | null;
  spCertificate: string | null;
  subjectAttribute: string;
  usernameAttribute: string;
  clockSkewMs: number;
};

export type SsoConfig = { oidc: OidcProviderConfig[]; saml: SamlProviderConfig | null };

const ROLES = ['student', 'staff', 'admin'] as const;

/** `value:role;value:role`, split at the last colon so URNs (entitlements) may contain colons. */
const roleMap = (name: string) =>
  z.string().transform((value, ctx) => {
    const entries = value
      .split(';')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.lastIndexOf(':');
        return [pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim()] as const;
      });
    for (const [claim, role] of entries) {
      if (!claim || !(ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({ code: 'custom', message: `${name} entry "${claim}:${role}" must map a value to student, staff or admin` });
        return z.NEVER;
      }
    }
    return entries as (readonly [string, (typeof ROLES)[number]])[];
  });
const list = z.string().transform((value) =>
  value
    .split(';')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean),
);
const bool = z.stringbool();

const oidcProviderSchema = (prefix: string) =>
  z.object({
    [`${prefix}ISSUER`]: z.url({ protocol: /^https?$/ }),
    [`${prefix}CLIENT_ID`]: z.string().min(1),
    [`${prefix}CLIENT_SECRET`]: z.string().optional(),
    [`${prefix}SCOPES`]: z.string().default('openid profile email'),
    [`${prefix}DISPLAY_NAME`]: z.string().optional(),
    [`${prefix}USERNAME_CLAIM`]: z.string().default('preferred_username'),
    [`${prefix}GROUPS_CLAIM`]: z.string().default('groups'),
    [`${prefix}USE_USERINFO`]: bool.default(false),
    [`${prefix}ROLE_MAP`]: roleMap(`${prefix}ROLE_MAP`).prefault(''),
    [`${prefix}ALLOWED_GROUPS`]: list.prefault(''),
    [`${prefix}LINK_BY_USERNAME`]: bool.default(false),
  });

const samlSchema = z.object({
  SAML_IDP_METADATA_FILE: z.string().optional(),
  SAML_IDP_METADATA_URL: z.url({ protocol: /^https?$/ }).optional(),
  SAML_IDP_ENTITY_ID: z.string().optional(),
  SAML_SP_ENTITY_ID: z.string().optional(),
  SAML_SP_KEY_FILE: z.string().optional(),
  SAML_SP_CERT_FILE: z.string().optional(),
  SAML_DISPLAY_NAME: z.string().default('university sign-in'),
  SAML_SUBJECT_ATTRIBUTE: z.string().default('eduPersonPrincipalName'),
  SAML_USERNAME_ATTRIBUTE: z.string().default('uid'),
  SAML_ROLE_MAP: roleMap('SAML_ROLE_MAP').prefault(''),
  SAML_ALLOWED_GROUPS: list.prefault(''),
  SAML_LINK_BY_USERNAME: bool.default(false),
  SAML_CLOCK_SKEW_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
});

function parse<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv, what: string): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid ${what} settings: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Single sign-on settings: `OIDC_PROVIDERS=keycloak,google` and `OIDC_<ID>_*` for each; SAML when
 * `SAML_IDP_METADATA_FILE` or `SAML_IDP_METADATA_URL` is set. Read once at start-up.
 */
export function ssoConfigFromEnv(source: NodeJS.ProcessEnv = process.env): SsoConfig {
  const ids = (source.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  const oidc = ids.map((id): OidcProviderConfig => {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(id)) throw new Error(`Invalid OIDC settings: provider id "${id}" must be letters, digits and dashes`);
    const prefix = `OIDC_${id.toUpperCase().replace(/-/g, '_')}_`;
    const env = parse(oidcProviderSchema(prefix), source, `OIDC (${id})`) as Record<string, unknown>;
    const get = <T>(name: string) => env[`${prefix}${name}`] as T;
    return {
      id,
      displayName: get<string | undefined>('DISPLAY_NAME') ?? id,
      issuer: get<string>('ISSUER'),
      clientId: get<string>('CLIENT_ID'),
      clientSecret: get<string | undefined>('CLIENT_SECRET') ?? null,
      scopes: get<string>('SCOPES'),
      usernameClaim: get<string>('USERNAME_CLAIM'),
      groupsClaims: get<string>('GROUPS_CLAIM')
        .split(',')
        .map((claim) => claim.trim())
        .filter(Boolean),
      useUserInfo: get<boolean>('USE_USERINFO'),
      roleMap: get<ClaimPolicy['roleMap']>('ROLE_MAP'),
      allowedGroups: get<string[]>('ALLOWED_GROUPS'),
      linkByUsername: get<boolean>('LINK_BY_USERNAME'),
    };
  });

  const env = parse(samlSchema, source, 'SAML');
  const metadata = env.SAML_IDP_METADATA_FILE ? { file: env.SAML_IDP_METADATA_FILE } : env.SAML_IDP_METADATA_URL ? { url: env.SAML_IDP_METADATA_URL } : null;
  const saml: SamlProviderConfig | null = metadata
    ? {
        id: 'saml',
        displayName: env.SAML_DISPLAY_NAME,
        idpMetadata: metadata,
        idpEntityId: env.SAML_IDP_ENTITY_ID ?? null,
        spEntityId: env.SAML_SP_ENTITY_ID ?? null,
        spPrivateKey: env.SAML_SP_KEY_FILE ? readFileSync(env.SAML_SP_KEY_FILE, 'utf8') : null,
        spCertificate: env.SAML_SP_CERT_FILE ? readFileSync(env.SAML_SP_CERT_FILE, 'utf8') : null,
        subjectAttribute: env.SAML_SUBJECT_ATTRIBUTE,
        usernameAttribute: env.SAML_USERNAME_ATTRIBUTE,
        roleMap: env.SAML_ROLE_MAP,
        allowedGroups: env.SAML_ALLOWED_GROUPS,
        linkByUsername: env.SAML_LINK_BY_USERNAME,
        clockSkewMs: env.SAML_CLOCK_SKEW_MS,
      }
    : null;
  return { oidc, saml };
}
