import { randomUUID } from 'node:crypto';
import { User, type EntityManager, type Role } from '@atrium/db';
import { hashPassword } from './password';

/**
 * Test-only: one real argon2id hash (production parameters) per password, reused for every user
 * a test run makes with that password. Hashing costs ~20 ms of CPU by design, and the factories
 * make hundreds of users with the same default password; sign-ins still verify against a real
 * hash. Only the salt is shared, which no test is about; tests of hashing call `hashPassword`.
 */
const hashes = new Map<string, Promise<string>>();
const testHashOf = (password: string) => {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
    hash.catch(() => hashes.delete(password));
  }
  return hash;
};

/** A local user with a known password, for tests. */
export async function makeLocalUser(em: EntityManager, options: { role?: Role; password?: string; username?: string } = {}) {
  const password = options.password ?? 'correct horse battery';
  const user = em.create(User, {
    username: options.username ?? `user-${randomUUID().slice(0, 8)}`,
    displayName: 'Test Person',
    role: options.role ?? 'student',
    authSource: 'local',
    passwordHash: await testHashOf(password),
  });
  await em.flush();
  return { user, password };
}

/** A controllable clock: tests move time instead of waiting. */
export function testClock(start = new Date('2026-11-23T10:00:00Z')) {
  let current = start.getTime();
  const now = () => new Date(current);
  return Object.assign(now, { advance: (ms: number) => void (current += ms), set: (date: Date) => void (current = date.getTime()) });
}
