import { z } from 'zod';
import { defineJob, type JobQueue } from '../../jobs/runner';
import type { ServiceConfig } from '../../context';
import { DEFAULT_MEMORY_SETTLE_MS, learnFromConversation } from './learning.service';

/** Ids only, as every job payload (see after-work.ts): the user is found through the conversation. */
const learnSchema = z.object({ conversationId: z.uuid(), leafId: z.string(), modelId: z.string() });

/**
 * Learns from a conversation once it has been quiet for a while. One job per answer, due after the
 * settle time; a job whose answer is no longer the newest message does nothing (the newer one's job
 * learns instead). No retries: a failed call learns nothing this time, and costs the user nothing.
 */
export const learnJob = defineJob({
  name: 'memory.learn',
  data: learnSchema,
  retry: { limit: 0, delaySeconds: 60 },
  concurrency: 2,
  async run(data, { em, config }) {
    await learnFromConversation(em, data, config);
  },
});

export const learningJobs = [learnJob];

/** Schedules learning after a completed answer, for users the assistant may learn about. */
export async function enqueueLearning(jobs: JobQueue, config: Pick<ServiceConfig, 'memorySettleMs' | 'now'>, data: z.infer<typeof learnSchema>) {
  const settleMs = config.memorySettleMs ?? DEFAULT_MEMORY_SETTLE_MS;
  await jobs.enqueue(learnJob, data, { once: `learn:${data.leafId}`, ...(settleMs > 0 ? { startAfter: new Date(config.now().getTime() + settleMs) } : {}) });
}
