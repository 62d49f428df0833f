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

  it('takes each attempt before the password is checked: of 25 parallel guesses exactly the allowed number are evaluated', async () => {
    const clock = testClock();
    const { user, password } = await makeLocalUser(em());
    const burst = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => attempt(user.username, `guess ${i}`, `10.8.0.${i}`, clock)));
    const reasons = burst.map((result) => (result.status === 'rejected' ? result.reason : result));
    expect(reasons.filter((reason) => reason instanceof UnauthorizedError)).toHaveLength(THROTTLE_POLICY.maxFailuresPerUsername);
    expect(reasons.filter((reason) => reason instanceof LimitExceededError)).toHaveLength(25 - THROTTLE_POLICY.maxFailuresPerUsername);
    await expect(attempt(user.username, password, '10.8.1.1', clock)).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('gives the address its attempt back after a success, so a campus NAT is not locked out by its own people', async () => {
    const clock = testClock();
    const { user, password } = await makeLocalUser(em());
    for (let i = 0; i < THROTTLE_POLICY.maxFailuresPerIp + 5; i++) {
      await expect(attempt(user.username, password, '198.51.100.9', clock)).resolves.toBeTruthy();
    }
  });

  it('spends as long on an unknown username as on a wrong password for a real one', async () => {
    const { user } = await makeLocalUser(em());
    // CPU spent by this process (argon2 runs on its worker threads), not wall time: what an
    // attacker's stopwatch measures is this work, and a busy machine stretches wall time at random.
    const time = async (username: string, i: number) => {
      const started = process.cpuUsage();
      await attempt(username, 'wrong password', `203.0.113.${i}`).catch(() => undefined);
      const spent = process.cpuUsage(started);
      return spent.user + spent.system;
    };
    await time(`warm-up-${kind}`, 200); // the dummy hash is made once, on first use
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await time(user.username, i));
      unknown.push(await time(`nobody-${kind}-timing-${i}`, 100 + i));
    }
    // Both pay for one argon2id verification; without the dummy an unknown name costs a fraction.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.6);
  });

  it('treats an empty password as a failed sign-in', async () => {
    const { user } = await makeLocalUser(em());
    await expect(attempt(user.username, '', '10.1.1.1')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
