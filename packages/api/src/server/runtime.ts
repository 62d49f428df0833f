import { providerSettingsFromEnv, readAiEnv } from '@atrium/ai';
import { hashPassword, ldapConfigFromEnv, readAuthEnv, ssoConfigFromEnv } from '@atrium/auth';
import { migrate, openOrm, seed, targetFromEnv, type DatabaseTarget, type Orm } from '@atrium/db';
import type { ServiceConfig } from '../context';
import { afterWorkSettled } from '../routers/chat/chat.service';
import { readServerEnv } from './env';
import { startHousekeeping } from './housekeeping';

export type ApiRuntime = {
  orm: Orm;
  config: ServiceConfig;
  secureCookies: boolean;
  trustProxy: string;
  /** Each app's address as browsers and identity providers see it, when set (behind a reverse proxy). */
  publicUrls: { web: string | null; admin: string | null };
  close(): Promise<void>;
};

export type ApiRuntimeOptions = {
  target?: DatabaseTarget;
  migrate?: boolean;
  seed?: boolean;
  log?: (line: string) => void;
  config?: Partial<ServiceConfig>;
  /** Overrides `ATRIUM_WEB_URL` / `ATRIUM_ADMIN_URL` (tests). */
  publicUrls?: ApiRuntime['publicUrls'];
};

/** Opens the database for a server process; in development it also migrates and seeds. */
export async function createApiRuntime(options: ApiRuntimeOptions = {}): Promise<ApiRuntime> {
  const serverEnv = readServerEnv();
  const aiEnv = readAiEnv();
  const config: ServiceConfig = {
    ldap: ldapConfigFromEnv(readAuthEnv()),
    sso: ssoConfigFromEnv(),
    now: () => new Date(),
    providers: providerSettingsFromEnv(aiEnv),
    llm: { timeoutMs: aiEnv.LLM_TIMEOUT_MS, firstTokenTimeoutMs: aiEnv.LLM_FIRST_TOKEN_TIMEOUT_MS },
    usageTimeZone: serverEnv.USAGE_TIME_ZONE,
    ...options.config,
  };
  const orm = await openOrm(options.target ?? targetFromEnv());
  const log = options.log ?? console.log;
  if (options.migrate) {
    const applied = await migrate(orm);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  }
  if (options.seed) await seedAndReport(orm, log);
  const stopHousekeeping = startHousekeeping(orm, config);
  return {
    orm,
    config,
    secureCookies: serverEnv.secureCookies,
    trustProxy: serverEnv.TRUST_PROXY,
    publicUrls: options.publicUrls ?? { web: serverEnv.ATRIUM_WEB_URL ?? null, admin: serverEnv.ATRIUM_ADMIN_URL ?? null },
    async close() {
      // Titles, cache entries and summaries of answers already sent are finished, not cut off.
      await afterWorkSettled();
      await stopHousekeeping();
      await orm.close(true);
    },
  };
}

/** Seeds idempotently and prints the first admin's login the one time it is created. */
export async function seedAndReport(orm: Orm, log: (line: string) => void = console.log) {
  const result = await seed(orm.em.fork(), { hashPassword });
  if (result.admin.created) {
    log('');
    log('  First admin created. Sign in with:');
    log(`    username: ${result.admin.username}`);
    log(`    password: ${result.admin.password}`);
    log('  The password is shown only this once; change it after signing in.');
    log('');
  } else {
    log(`Admin account: ${result.admin.username} (already set up).`);
  }
  return result;
}
