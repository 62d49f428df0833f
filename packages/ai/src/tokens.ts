/**
 * A tokenizer-free estimate, good enough to budget a prompt: about four characters per
 * token, plus a few tokens of framing per chat message.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateMessageTokens(content: string): number {
  return MESSAGE_OVERHEAD_TOKENS + estimateTokens(content);
}

/** What the provider reported for one call. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}
