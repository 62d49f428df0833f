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

/**
 * What a picture answer cost, in micros: the catalogue's price per image for each picture, plus
 * the tokens when the provider reported any (some image APIs bill prompts as tokens too).
 */
export function imageCostMicros(
  model: Pick<IModel, 'inputPricePerMTok' | 'outputPricePerMTok' | 'pricePerImage'>,
  images: number,
  usage: TokenUsage | null,
): number {
  return Math.round(images * Number(model.pricePerImage) * 1_000_000) + costMicros(model, usage);
}
