import type { ApiRuntime } from '@atrium/api/server';
import { createSession } from '@atrium/auth';
import { makeLocalUser } from '@atrium/auth/testing';
import { UsageDaily, type EntityManager, type IUser, type Provider, type Role } from '@atrium/db';
import type { BrowserContext } from 'playwright-core';

/**
 * Data for the content pages' browser tests, made directly in the database: these tests are about
 * the admin pages, not about signing in, so they never go through /login.
 */

/** An administrator whose session cookie the browser context carries from now on. */
export async function signInAsAdmin(
  runtime: ApiRuntime,
  context: BrowserContext,
  url: string,
  username = 'content-admin',
) {
  const em = runtime.orm.em.fork();
  const { user } = await makeLocalUser(em, { role: 'admin', username });
  const { token } = await createSession(em, user, { type: 'active_session' });
  await context.addCookies([{ name: 'atrium_session', value: token, url, httpOnly: true, sameSite: 'Lax' }]);
  return user;
}

export async function makeUser(runtime: ApiRuntime, role: Role, username: string) {
  return (await makeLocalUser(runtime.orm.em.fork(), { role, username })).user;
}

export type UsageEntry = {
  date: string;
  model: string;
  provider?: Provider;
  requests: number;
  cacheHits?: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
};

/** Rows of the usage ledger, as if `user` had chatted on those days. */
export async function recordUsage(em: EntityManager, user: IUser, entries: UsageEntry[]) {
  for (const entry of entries) {
    em.create(UsageDaily, { user: user.id, provider: 'demo', cacheHits: 0, ...entry });
  }
  await em.flush();
}
