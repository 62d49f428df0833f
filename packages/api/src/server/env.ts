import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  SESSION_SECURE_COOKIE: z.stringbool().optional(),
  /** How many proxies to trust for the client IP (express "trust proxy"). */
  TRUST_PROXY: z.string().default('loopback'),
});

export function readServerEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid server environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  return { ...env, secureCookies: env.SESSION_SECURE_COOKIE ?? env.NODE_ENV === 'production' };
}
