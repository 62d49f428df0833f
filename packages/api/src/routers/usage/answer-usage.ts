import { costMicros, estimateTokens, type AnswerResult, type TokenUsage } from '@atrium/ai';
import type { IModel } from '@atrium/db';
import type { Settlement } from './limits.service';

export type AnswerStatus = 'completed' | 'aborted' | 'failed';

/**
 * What an answer costs the ledger, for every channel alike (web chat, OpenAI-compatible API): a
 * failed answer gives the request back and records no tokens; a stopped one is charged for what
 * was produced, and when the provider reported no usage for it the estimate stands in, marked.
 */
export function answerUsage(model: IModel, result: AnswerResult, estimatedPromptTokens: number, cacheHit = false) {
  const status: AnswerStatus = result.aborted ? 'aborted' : result.error ? 'failed' : 'completed';
  const usage: TokenUsage | null =
    status === 'failed' || cacheHit
      ? null
      : (result.usage ?? { promptTokens: estimatedPromptTokens, completionTokens: estimateTokens(result.text) });
  const cost = usage ? costMicros(model, usage) : 0;
  const settlement: Settlement = cacheHit
    ? { outcome: 'cacheHit' }
    : usage
      ? { outcome: 'completed', promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costMicros: cost }
      : { outcome: 'failed' };
  return { status, usage, cost, settlement, estimated: result.usage === null && usage !== null };
}
