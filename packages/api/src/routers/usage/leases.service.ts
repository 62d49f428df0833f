import { costMicros, estimateTokens } from '@atrium/ai';
import { Message, Model, type EntityManager } from '@atrium/db';
import { z } from 'zod';
import { defineJob } from '../../jobs/runner';
import { settle } from './limits.service';

/**
 * Keeps a turn's lease alive while its answer streams, with the text so far: the statement that
 * says "this process is still answering" also saves what a reader or a sweep would need if it dies.
 */
export async function renewLease(em: EntityManager, leaseId: string, input: { expiresAt: Date; partialText: string }) {
  await em.execute('update token_lease set expires_at = ?, partial_text = ? where id = ?', [input.expiresAt, input.partialText, leaseId]);
}

type ExpiredLease = {
  id: string;
  user_id: string;
  conversation_id: string | null;
  question_id: string | null;
  model: string;
  provider: 'groq' | 'openai' | 'local' | 'demo';
  day: string | Date;
  month: string | Date;
  tokens: number;
  prompt_estimate: number;
  partial_text: string;
};

const isoDay = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

export const INTERRUPTED_MESSAGE = 'The answer was interrupted: the server answering it stopped.';

/**
 * Releases the leases whose process died (past `expiresAt`, never renewed): gives their tokens back,
 * charges what was streamed (our estimate, marked as such, as the provider bills it) and saves the
 * partial answer in its conversation, marked interrupted. Any process may run it; each lease is
 * claimed by one (`for update skip locked`) and released once.
 */
export async function releaseExpiredLeases(em: EntityManager, now: Date, batch = 100): Promise<number> {
  return em.transactional(async (tx) => {
    const leases = await tx.execute<ExpiredLease[]>(
      `delete from token_lease where id in (
         select id from token_lease where expires_at < ? order by expires_at limit ? for update skip locked
       ) returning id, user_id, conversation_id, question_id, model, provider, day, month, tokens, prompt_estimate, partial_text`,
      [now, batch],
    );
    for (const lease of leases) {
      const model = await tx.findOne(Model, lease.model);
      const streamed = lease.partial_text.length > 0;
      const usage = streamed ? { promptTokens: lease.prompt_estimate, completionTokens: estimateTokens(lease.partial_text) } : null;
      const cost = usage && model ? costMicros(model, usage) : 0;
      const reservation = {
        userId: lease.user_id,
        modelId: lease.model,
        provider: lease.provider,
        day: isoDay(lease.day),
        month: isoDay(lease.month),
        reservedTokens: lease.tokens,
        // Already deleted above: settle gives back `reservedTokens` without looking for the row.
        leaseId: null,
      };
      // The request stays counted: the provider was called.
      await settle(
        tx,
        reservation,
        usage ? { outcome: 'completed', ...usage, costMicros: cost, estimated: true } : { outcome: 'completed', promptTokens: 0, completionTokens: 0, costMicros: 0 },
      );
      if (lease.conversation_id) {
        // The question may have been deleted (its branch) while the answer streamed.
        const questionId = lease.question_id && (await tx.count(Message, { id: lease.question_id, conversation: lease.conversation_id })) > 0 ? lease.question_id : null;
        const message = tx.create(Message, {
          conversation: lease.conversation_id,
          // Under its question, so the branch shows it (leases from before questions were recorded have none).
          parent: questionId,
          role: 'assistant',
          content: lease.partial_text,
          model: lease.model,
          provider: lease.provider,
          promptTokens: usage?.promptTokens ?? null,
          completionTokens: usage?.completionTokens ?? null,
          costMicros: usage ? cost : null,
          createdAt: now,
          metadata: {
            aborted: true,
            interrupted: true,
            ...(usage ? { usageEstimated: true } : {}),
            error: INTERRUPTED_MESSAGE,
          },
        });
        if (questionId) {
          await tx.flush();
          // It becomes the viewed answer if the student was still looking at its question, as a finished answer does.
          await tx.execute('update conversations set active_leaf_id = ? where id = ? and active_leaf_id = ?', [message.id, lease.conversation_id, questionId]);
        }
      }
    }
    await tx.flush();
    return leases.length;
  });
}

/** Every minute, on whichever process is free: leases of dead turns are released soon after they end. */
export const releaseLeasesJob = defineJob({
  name: 'usage.releaseLeases',
  data: z.object({}),
  schedule: { cron: '* * * * *', data: {} },
  retry: { limit: 2, delaySeconds: 10 },
  async run(_data, { em, config }) {
    await releaseExpiredLeases(em, config.now());
  },
});
