import { LimitExceededError, type EntityManager } from '@atrium/db';
import type { Clock } from './sessions';

/** Failed sign-ins allowed per window: tight per account, looser per address (shared NATs). */
export const THROTTLE_POLICY = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerUsername: 5,
  maxFailuresPerIp: 30,
};

const keysFor = (username: string, ip: string | null) => [
  { key: `user:${username.trim().toLowerCase()}`, max: THROTTLE_POLICY.maxFailuresPerUsername },
  ...(ip ? [{ key: `ip:${ip}`, max: THROTTLE_POLICY.maxFailuresPerIp }] : []),
];

/** Throws when the account or the address has used up its failed attempts for the window. */
export async function assertNotThrottled(em: EntityManager, username: string, ip: string | null, now: Clock) {
  const at = now();
  const windowStart = new Date(at.getTime() - THROTTLE_POLICY.windowMs);
  for (const { key, max } of keysFor(username, ip)) {
    const rows = await em.execute<{ failures: number; window_started_at: Date }[]>(
      'select failures, window_started_at from login_throttles where key = ? and window_started_at > ?',
      [key, windowStart],
    );
    const row = rows[0];
    if (row && row.failures >= max) {
      const resetsAt = new Date(new Date(row.window_started_at).getTime() + THROTTLE_POLICY.windowMs);
      throw new LimitExceededError('Too many failed sign-in attempts. Please wait and try again.', {
        limit: 'signIn',
        resetsAt: resetsAt.toISOString(),
      });
    }
  }
}

/** Counts a failure with one upsert per key, so parallel attempts on several servers all count. */
export async function recordFailedLogin(em: EntityManager, username: string, ip: string | null, now: Clock) {
  const at = now();
  const windowStart = new Date(at.getTime() - THROTTLE_POLICY.windowMs);
  for (const { key } of keysFor(username, ip)) {
    await em.execute(
      `insert into login_throttles (key, failures, window_started_at) values (?, 1, ?)
       on conflict (key) do update set
         failures = case when login_throttles.window_started_at <= ? then 1 else login_throttles.failures + 1 end,
         window_started_at = case when login_throttles.window_started_at <= ? then excluded.window_started_at
                                  else login_throttles.window_started_at end`,
      [key, at, windowStart, windowStart],
    );
  }
}

export async function clearFailedLogins(em: EntityManager, username: string) {
  await em.execute('delete from login_throttles where key = ?', [`user:${username.trim().toLowerCase()}`]);
}
