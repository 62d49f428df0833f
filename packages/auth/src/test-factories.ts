import { randomUUID } from 'node:crypto';
import { User, type EntityManager, type Role } from '@atrium/db';
import { hashPassword } from './password';

/** A local user with a known password, for tests. */
export async function makeLocalUser(em: EntityManager, options: { role?: Role; password?: string; username?: string } = {}) {
  const password = options.password ?? 'correct horse battery';
  const user = em.create(User, {
    username: options.username ?? `user-${randomUUID().slice(0, 8)}`,
    displayName: 'Test Person',
    role: options.role ?? 'student',
    authSource: 'local',
    passwordHash: await hashPassword(password),
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
