import { LimitExceededError, type EntityManager } from '@atrium/db';
import type { Clock } from './sessions';

/** Sign-in attempts allowed per window: tight per account, looser per address (shared NATs). */
export const THROTTLE_POLICY = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerUsername: 5,
  maxFailuresPerIp: 30,
};

type ThrottleKey = { key: string; max: number };

const userKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const keysFor = (username: string, ip: string | null): ThrottleKey[] => [
  { key: userKey(username), max: THROTTLE_POLICY.maxFailuresPerUsername },
  ...(ip ? [{ key: `ip:${ip}`, max: THROTTLE_POLICY.maxFailuresPerIp }] : []),
];

/** What a taken attempt leaves to settle: a success gives the address's attempt back. */
export type ThrottleTicket = { username: string; ip: string | null };

/**
 * Takes one attempt for the account and one for the address *before* the password is checked,
 * each with one conditional upsert: the row is counted only while it is under its limit (or its
 * window has passed), and `returning` says whether it was. Parallel attempts on any number of
 * server processes serialize on the row, so exactly `max` of them are ever evaluated per window;
 * the rest are refused without touching the password. A failed attempt simply stays counted.
 */
export async function takeSignInAttempt(em: EntityManager, username: string, ip: string | null, now: Clock): Promise<ThrottleTicket> {
  const at = now();
  const windowStart = new Date(at.getTime() - THROTTLE_POLICY.windowMs);
  const taken: ThrottleKey[] = [];
  for (const key of keysFor(username, ip)) {
    const rows = await em.execute<{ failures: number }[]>(
      `insert into login_throttles (key, failures, window_started_at) values (?, 1, ?)
       on conflict (key) do update set
         failures = case when login_throttles.window_started_at <= ? then 1 else login_throttles.failures + 1 end,
         window_started_at = case when login_throttles.window_started_at <= ? then excluded.window_started_at
                                  else login_throttles.window_started_at end
       where login_throttles.window_started_at <= ? or login_throttles.failures < ?
       returning failures`,
      [key.key, at, windowStart, windowStart, windowStart, key.max],
    );
    if (rows.length === 0) {
      // The address refused after the account was counted: that attempt was never made.
      for (const earlier of taken) await giveBack(em, earlier.key);
      throw await throttled(em, key.key);
    }
    taken.push(key);
  }
  return { username, ip };
}

async function throttled(em: EntityManager, key: string) {
  const rows = await em.execute<{ window_started_at: Date }[]>('select window_started_at from login_throttles where key = ?', [key]);
  const started = rows[0] ? new Date(rows[0].window_started_at).getTime() : Date.now();
  return new LimitExceededError('Too many failed sign-in attempts. Please wait and try again.', {
    limit: 'signIn',
    resetsAt: new Date(started + THROTTLE_POLICY.windowMs).toISOString(),
  });
}

const giveBack = (em: EntityManager, key: string) =>
  em.execute('update login_throttles set failures = greatest(failures - 1, 0) where key = ?', [key]);

/**
 * After a successful sign-in: the account starts afresh, and the address gets its attempt back
 * (many people sign in from one campus NAT; only failures should use up its allowance).
 */
export async function settleSuccessfulSignIn(em: EntityManager, ticket: ThrottleTicket) {
  await em.execute('delete from login_throttles where key = ?', [userKey(ticket.username)]);
  if (ticket.ip) await giveBack(em, `ip:${ticket.ip}`);
}

/**
 * An attempt that was refused for a reason other than the password (a directory outage, a banned
 * account, the admin app's role rule) should not lock the account: give both attempts back.
 */
export async function releaseSignInAttempt(em: EntityManager, ticket: ThrottleTicket) {
  for (const key of keysFor(ticket.username, ticket.ip)) await giveBack(em, key.key);
}

/** Forgets an account's attempts (an erased account, or a test starting afresh). */
export async function clearFailedLogins(em: EntityManager, username: string) {
  await em.execute('delete from login_throttles where key = ?', [userKey(username)]);
}
