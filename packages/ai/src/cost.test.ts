import { describe, expect, it } from 'vitest';
import { costMicros } from './cost';

describe('costMicros', () => {
  const model = { inputPricePerMTok: 0.59, outputPricePerMTok: 0.79 };

  it('charges each token its price per million, in micros', () => {
    expect(costMicros(model, { promptTokens: 1000, completionTokens: 500 })).toBe(590 + 395);
  });

  it('rounds to whole micros', () => {
    expect(
      costMicros({ inputPricePerMTok: 0.05, outputPricePerMTok: 0.08 }, { promptTokens: 3, completionTokens: 7 }),
    ).toBe(Math.round(0.15 + 0.56));
    expect(
      costMicros({ inputPricePerMTok: 2.5, outputPricePerMTok: 10 }, { promptTokens: 1, completionTokens: 0 }),
    ).toBe(3);
  });

  it('charges nothing for a free model or unreported usage', () => {
    expect(
      costMicros({ inputPricePerMTok: 0, outputPricePerMTok: 0 }, { promptTokens: 10_000, completionTokens: 10_000 }),
    ).toBe(0);
    expect(costMicros(model, null)).toBe(0);
  });
});
