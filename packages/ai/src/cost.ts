import type { IModel } from '@atrium/db';
import type { TokenUsage } from './tokens';

/**
 * What a call cost, in millionths of the currency unit. Prices are per million tokens, so
 * a token costs exactly `pricePerMTok` micros. No reported usage, no charge.
 */
export function costMicros(
  model: Pick<IModel, 'inputPricePerMTok' | 'outputPricePerMTok'>,
  usage: TokenUsage | null,
): number {
  if (!usage) return 0;
  return Math.round(
    usage.promptTokens * Number(model.inputPricePerMTok) + usage.completionTokens * Number(model.outputPricePerMTok),
  );
}
