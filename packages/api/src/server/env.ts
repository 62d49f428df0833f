import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  SESSION_SECURE_COOKIE: z.stringbool().optional(),
  /** How many proxies to trust for the client IP (express "trust proxy"). */
  TRUST_PROXY: z.string().default('loopback'),
  /**
   * The apps' public addresses (scheme, host, optional port and path prefix, no trailing slash):
   * single sign-on builds its redirect URIs and SAML endpoints from them. Unset = the request's own.
   */
  ATRIUM_WEB_URL: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')).optional(),
  ATRIUM_ADMIN_URL: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')).optional(),
  /** The zone whose midnight resets daily and monthly limits. */
  USAGE_TIME_ZONE: z
    .string()
    .default('Europe/Istanbul')
    .refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone) || zone === 'UTC', 'Unknown time zone'),
});

export function readServerEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid server environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  return { ...env, secureCookies: env.SESSION_SECURE_COOKIE ?? env.NODE_ENV === 'production' };
}
