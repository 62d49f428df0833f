import { deleteExpiredSessions, deleteExpiredSsoState } from '@atrium/auth';
import { AnswerCache, LoginThrottle, type Orm } from '@atrium/db';
import type { ServiceConfig } from '../context';

const HOUR = 60 * 60 * 1000;

/**
 * Deletes what has expired: sessions, cached answers, sign-in throttle windows long past, and
 * single sign-on round trips and SAML assertion ids past their lifetime.
 */
export async function sweepExpired(orm: Orm, config: Pick<ServiceConfig, 'now'>) {
  const em = orm.em.fork();
  const now = config.now();
  const sessions = await deleteExpiredSessions(em, config.now);
  const answers = await em.nativeDelete(AnswerCache, { expiresAt: { $lte: now } });
  const throttles = await em.nativeDelete(LoginThrottle, { windowStartedAt: { $lt: new Date(now.getTime() - 24 * HOUR) } });
  const ssoState = await deleteExpiredSsoState(em, config.now);
  return { sessions, answers, throttles, ssoState };
}

/**
 * Runs the sweep once an hour in this process. Every replica may run it: the deletes are
 * idempotent, so several servers sweeping at once only repeat each other's work.
 */
export function startHousekeeping(orm: Orm, config: Pick<ServiceConfig, 'now'>, everyMs = HOUR) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepExpired(orm, config).catch((error: unknown) => console.error('[housekeeping] sweep failed:', error));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
