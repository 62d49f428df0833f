import { z } from 'zod';
import { defineJob } from '../../jobs/runner';
import { applyRetention, RETENTION_MINUTE } from './retention.service';

/** Retention, every hour across all replicas: stale conversations, expired archives, old audit events. */
export const retentionJob = defineJob({
  name: 'retention.apply',
  data: z.object({}),
  schedule: { cron: `${RETENTION_MINUTE} * * * *`, data: {} },
  retry: { limit: 2, delaySeconds: 60 },
  timeoutSeconds: 30 * 60,
  async run(_data, { em, config, signal }) {
    await applyRetention(em, config.files, config.now(), signal);
  },
});
