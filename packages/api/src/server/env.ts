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
  /** How long a turn's token reservation lasts without renewal; a dead process's turn is released after it. */
  TOKEN_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
  /** Most procedures one batched /api/trpc request may carry; more is refused with 400 before any runs. */
  TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Largest /api/trpc request body in bytes; larger is refused with 413 before it is parsed. */
  TRPC_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  /** Whether this process runs background jobs (a web-only replica may leave them to others). */
  JOBS_WORK: z.stringbool().default(true),
  /** Seconds between polls for due jobs when no notification arrives. */
  JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** Seconds between checks for jobs whose process died mid-attempt (they are retried after their timeout). */
  JOBS_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How long a stopping process lets running jobs finish before handing them back. */
  JOBS_STOP_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Prometheus metrics on their own listener at this port (`/metrics`, no token): for a scraper inside the cluster. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Interface the metrics listener binds. */
  METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  /** `/metrics` on the apps' own port, for a caller sending `Authorization: Bearer <this>`. Unset: not served there. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** At SIGTERM: seconds readiness reports false before the listener closes, so a load balancer stops sending first. */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(0),
  /** At SIGTERM: how long running answers may finish before they are stopped (partial text kept, usage settled). */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(3600).default(25),
});

export function readServerEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid server environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  return { ...env, secureCookies: env.SESSION_SECURE_COOKIE ?? env.NODE_ENV === 'production' };
}

const logSchema = z.object({
  NODE_ENV: z.string().default('development'),
  /** Default info; warn under tests (NODE_ENV=test), so test output shows what went wrong, not every request. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** `json` (one object a line) or `pretty` (for a terminal); default pretty in development, JSON elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

export type LogEnv = Omit<z.infer<typeof logSchema>, 'LOG_LEVEL'> & {
  LOG_LEVEL: NonNullable<z.infer<typeof logSchema>['LOG_LEVEL']>;
  format: 'json' | 'pretty';
};

/** The logger's settings: read on their own, because the logger exists before anything else is configured. */
export function readLogEnv(source: NodeJS.ProcessEnv = process.env): LogEnv {
  const parsed = logSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid logging environment: ${z.prettifyError(parsed.error)}`);
  const { NODE_ENV, LOG_LEVEL, LOG_FORMAT } = parsed.data;
  return { ...parsed.data, LOG_LEVEL: LOG_LEVEL ?? (NODE_ENV === 'test' ? 'warn' : 'info'), format: LOG_FORMAT ?? (NODE_ENV === 'development' ? 'pretty' : 'json') };
}
