import { LimitExceededError, UnauthorizedError } from '@atrium/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './login';
import { makeLocalUser, testClock } from './test-factories';
import { THROTTLE_POLICY } from './throttle';

describe.each(testDatabaseKinds())('sign-in throttling on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.close());
  const em = () => db.orm.em.fork();
  const attempt = (username: string, password: string, ip: string, now = testClock()) =>
    signIn(em(), { username, password, rememberMe: false, ip, userAgent: 'test' }, { ldap: null, now });

  it('locks an account after the allowed failures, even for the right password, until the window passes', async () => {
    const clock = testClock();
    const { user, password } = await makeLocalUser(em());
    for (let i = 0; i < THROTTLE_POLICY.maxFailuresPerUsername; i++) {
      await expect(attempt(user.username, 'wrong password', `10.0.0.${i}`, clock)).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const locked = attempt(user.username, password, '10.0.1.1', clock);
    await expect(locked).rejects.toBeInstanceOf(LimitExceededError);
    await expect(locked).rejects.toMatchObject({ details: { limit: 'signIn' } });
    clock.advance(THROTTLE_POLICY.windowMs + 1);
    await expect(attempt(user.username, password, '10.0.1.1', clock)).resolves.toMatchObject({ user: { id: user.id } });
  });

  it('counts every failure of a parallel burst (no lost updates)', async () => {
    const clock = testClock();
    const { user, password } = await makeLocalUser(em());
    const burst = await Promise.allSettled(
      Array.from({ length: THROTTLE_POLICY.maxFailuresPerUsername }, () => attempt(user.username, 'nope', '10.9.9.9', clock)),
    );
    expect(burst.every((result) => result.status === 'rejected')).toBe(true);
    await expect(attempt(user.username, password, '10.9.9.8', clock)).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('throttles one address that tries many accounts', async () => {
    const clock = testClock();
    for (let i = 0; i < THROTTLE_POLICY.maxFailuresPerIp; i++) {
      await expect(attempt(`nobody-${kind}-${i}`, 'guess', '192.0.2.7', clock)).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const { user, password } = await makeLocalUser(em());
    await expect(attempt(user.username, password, '192.0.2.7', clock)).rejects.toBeInstanceOf(LimitExceededError);
    await expect(attempt(user.username, password, '192.0.2.8', clock)).resolves.toBeTruthy();
  });

  it('treats an empty password as a failed sign-in', async () => {
    const { user } = await makeLocalUser(em());
    await expect(attempt(user.username, '', '10.1.1.1')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
