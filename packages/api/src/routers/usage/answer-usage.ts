import { costMicros, estimateTokens, imageCostMicros, type AnswerResult, type ImageAnswerResult, type TokenUsage } from '@atrium/ai';
import type { IModel } from '@atrium/db';
import type { Settlement } from './limits.service';

export type AnswerStatus = 'completed' | 'aborted' | 'failed';

/**
 * What an answer costs the ledger, for every channel alike (web chat, OpenAI-compatible API): an
 * answer that failed before any text gives the request back and records no tokens; a stopped one,
 * or one the upstream cut mid-answer, is charged for what was produced, and when the provider
 * reported no usage for it the estimate stands in, marked as such in the message and the ledger.
 */
export function answerUsage(model: IModel, result: AnswerResult, estimatedPromptTokens: number, cacheHit = false) {
  const status: AnswerStatus = result.aborted ? 'aborted' : result.error ? 'failed' : 'completed';
  // An upstream cut mid-answer is billed by the provider for what it streamed: charged as a stop is.
  // Only a failure before any text (refused, unreachable) costs nothing.
  const usage: TokenUsage | null =
    cacheHit || (status === 'failed' && result.text.length === 0)
      ? null
      : (result.usage ?? { promptTokens: estimatedPromptTokens, completionTokens: estimateTokens(result.text) });
  const cost = usage ? costMicros(model, usage) : 0;
  const settlement: Settlement = cacheHit
    ? { outcome: 'cacheHit' }
    : usage
      ? {
          outcome: 'completed',
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          costMicros: cost,
          estimated: result.usage === null,
        }
      : { outcome: 'failed' };
  return { status, usage, cost, settlement, estimated: result.usage === null && usage !== null };
}

/**
 * What a picture answer costs the ledger: the request stays counted and each picture is charged
 * at the catalogue's price (plus tokens, when the provider reported any). Nothing drawn (failed,
 * stopped) gives the request back and costs nothing: image APIs bill per finished picture.
 */
export function pictureUsage(model: IModel, result: Pick<ImageAnswerResult, 'aborted' | 'error' | 'usage'>, pictures: number) {
  const status: AnswerStatus = result.aborted ? 'aborted' : result.error || pictures === 0 ? 'failed' : 'completed';
  if (status !== 'completed') return { status, usage: null, cost: 0, settlement: { outcome: 'failed' } as Settlement };
  const usage: TokenUsage = result.usage ?? { promptTokens: 0, completionTokens: 0 };
  const cost = imageCostMicros(model, pictures, result.usage);
  const settlement: Settlement = { outcome: 'completed', promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costMicros: cost };
  return { status, usage, cost, settlement };
}
