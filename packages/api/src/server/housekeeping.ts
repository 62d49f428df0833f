import { deleteExpiredSessions, deleteExpiredSsoState, liftExpiredBans } from '@atrium/auth';
import { AnswerCache, LoginThrottle, type EntityManager } from '@atrium/db';
import { z } from 'zod';
import type { ServiceConfig } from '../context';
import { sweepFiles } from '../routers/attachments/sweep.service';
import { defineJob } from '../jobs/runner';

const HOUR = 60 * 60 * 1000;

/**
 * Deletes what has expired: sessions, cached answers, sign-in throttle windows long past, single
 * sign-on round trips and SAML assertion ids past their lifetime; clears ended bans.
 */
export async function sweepExpired(em: EntityManager, config: Pick<ServiceConfig, 'now'> & Partial<Pick<ServiceConfig, 'files'>>) {
  const now = config.now();
  const sessions = await deleteExpiredSessions(em, config.now);
  const answers = await em.nativeDelete(AnswerCache, { expiresAt: { $lte: now } });
  const throttles = await em.nativeDelete(LoginThrottle, { windowStartedAt: { $lt: new Date(now.getTime() - 24 * HOUR) } });
  const bans = await liftExpiredBans(em, config.now);
  const ssoState = await deleteExpiredSsoState(em, config.now);
  // Stored files no row refers to, unfinished writes and drafts never sent.
  const stored = config.files ? { files: await sweepFiles(em, config.files, now) } : {};
  return { sessions, answers, throttles, bans, ssoState, ...stored };
}

/** The hourly sweep, as a scheduled job: one run per hour across all replicas. */
export const sweepExpiredJob = defineJob({
  name: 'housekeeping.sweep',
  data: z.object({}),
  schedule: { cron: '7 * * * *', data: {} },
  retry: { limit: 2, delaySeconds: 60 },
  async run(_data, { em, config }) {
    await sweepExpired(em, config);
  },
});

export const housekeepingJobs = [sweepExpiredJob];
