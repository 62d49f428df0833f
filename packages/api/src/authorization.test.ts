import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root';
import { createApiTestKit, type ApiTestKit } from './testing';

/** Procedures anyone may call; every other procedure must refuse an anonymous caller. */
// shares.open serves public links to anybody while an admin allows them; its refusals of
// signed-out and suspended viewers for members-only links are tested in shares.test.ts.
const PUBLIC = new Set(['health.check', 'auth.signIn', 'auth.register', 'auth.signOut', 'auth.me', 'auth.ssoProviders', 'identity.get', 'shares.open']);
const procedures = Object.keys(appRouter._def.procedures);

type Callable = (input?: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Callable;

async function codeOf(call: Promise<unknown>) {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

describe('authorization for every procedure', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  it.each(procedures.filter((path) => !PUBLIC.has(path)))('%s refuses an anonymous caller with UNAUTHORIZED', async (path) => {
    expect(await codeOf(procedureOf(kit.anonymous(), path)({}))).toBe('UNAUTHORIZED');
  });

  const adminOnly = procedures.filter((path) => /^(users|invites|cache)\.|\.admin\.|^identity\.set$|^auth\.confirmAdmin$/.test(path));
  it.each(adminOnly)('%s refuses students and staff with FORBIDDEN', async (path) => {
    for (const role of ['student', 'staff'] as const) {
      const { caller } = await kit.signedIn(role);
      expect(await codeOf(procedureOf(caller, path)({}))).toBe('FORBIDDEN');
    }
  });

  it.each(procedures.filter((path) => !PUBLIC.has(path)))('%s refuses a banned user with FORBIDDEN', async (path) => {
    const { user, caller } = await kit.signedIn('admin');
    user.isBanned = true;
    expect(await codeOf(procedureOf(caller, path)({}))).toBe('FORBIDDEN');
  });
});
