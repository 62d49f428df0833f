import { UpstreamError } from '@atrium/db';

/** Why a model call failed, for code that reacts differently (retry later, tell an admin). */
export type ProviderErrorKind = 'not-configured' | 'rate-limited' | 'refused' | 'failed' | 'timeout';

/** Messages a user may read: they never carry a stack, a URL, a key or the provider's own words. */
export const PROVIDER_ERROR_MESSAGES: Record<ProviderErrorKind, string> = {
  'not-configured': 'This model is not configured on this server; ask an administrator.',
  'rate-limited': 'The model provider is rate-limiting requests; try again in a moment.',
  refused: 'The model provider refused the request.',
  failed: 'The model provider failed to answer.',
  timeout: 'The model took too long to answer.',
};

/** An UpstreamError that says which kind of failure it was; the original error is the `cause`. */
export class ProviderError extends UpstreamError {
  /** From the provider's retry-after header on a 429, when it sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ProviderErrorKind,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(PROVIDER_ERROR_MESSAGES[kind], { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Classifies whatever the AI SDK or fetch threw: HTTP errors by status, everything else as a failure. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const cause = unwrapRetry(error);
  const status = numberProperty(cause, 'statusCode');
  if (status === 429) return new ProviderError('rate-limited', { cause, retryAfterSeconds: retryAfterOf(cause) });
  if (status !== undefined && status >= 400 && status < 500 && status !== 408)
    return new ProviderError('refused', { cause });
  if (status === 408 || status === 504) return new ProviderError('timeout', { cause });
  return new ProviderError('failed', { cause });
}

// With maxRetries 0 the SDK throws the provider's error itself; a RetryError only appears if
// someone turns retries back on.
function unwrapRetry(error: unknown): unknown {
  const lastError = (error as { lastError?: unknown } | null)?.lastError;
  return (error as { name?: unknown } | null)?.name === 'AI_RetryError' && lastError !== undefined ? lastError : error;
}

function numberProperty(value: unknown, key: string): number | undefined {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof found === 'number' ? found : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as { responseHeaders?: Record<string, string> } | null)?.responseHeaders;
  const seconds = Number(headers?.['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
