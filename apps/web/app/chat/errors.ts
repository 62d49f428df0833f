import type { TurnError } from './turn';
import type { LimitDetails } from './types';

type ErrorLike = { name?: string; message?: string; data?: { code?: string; limit?: unknown } | null; cause?: unknown };

const isLimit = (value: unknown): value is LimitDetails =>
  typeof value === 'object' &&
  value !== null &&
  ((value as LimitDetails).limit === 'dailyRequests' || (value as LimitDetails).limit === 'monthlyTokens');

/** What a failed tRPC call means for the chat: a limit, a refusal with the server's message, or a broken connection. */
export function classifyError(error: unknown): TurnError {
  const { data, message } = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  if (data?.code === 'TOO_MANY_REQUESTS' && isLimit(data.limit)) return { kind: 'limit', limit: data.limit };
  if (data?.code) return { kind: 'refused', code: data.code, message: message ?? data.code };
  return { kind: 'connection' };
}
