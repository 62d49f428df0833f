import type { ApiRuntime } from '@atrium/api/server';
import { makeLocalUser } from '@atrium/auth/testing';
import { UsageDaily, type EntityManager, type IUser, type Provider, type Role } from '@atrium/db';

/**
 * Data for the content pages' browser tests, made directly in the database: these tests are about
 * the admin pages, not about signing in, so they never go through /login.
 */

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
