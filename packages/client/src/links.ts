import type { AppRouter } from '@atrium/api';
import { httpBatchLink, httpBatchStreamLink, splitLink, type HTTPHeaders, type TRPCLink } from '@trpc/client';
import superjson from 'superjson';
import { turnLink } from './turn-link';

/**
 * Mutations that stream their result back (chat answers), each sent at once in a request of its
 * own (turn-link.ts). A streamed response sends its headers before the procedure runs, so every
 * other mutation goes unstreamed and can still set cookies.
 */
const STREAMED_MUTATIONS = new Set(['chat.send', 'chat.regenerate']);

/** Below the server's default TRPC_MAX_BATCH_SIZE (50), so a busy page never trips the cap. */
const MAX_BATCH_ITEMS = 25;

export type AtriumLinkOptions = {
  /** Full URL of the tRPC endpoint, or `/api/trpc` in the browser. */
  endpoint: string;
  headers?: () => HTTPHeaders;
  fetch?: typeof fetch;
};

/** The links every Atrium client uses: the apps' React client and scripts alike. */
export function atriumLinks(options: AtriumLinkOptions): TRPCLink<AppRouter>[] {
  const shared = {
    url: options.endpoint,
    transformer: superjson,
    maxItems: MAX_BATCH_ITEMS,
    headers: options.headers ?? (() => ({})),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return [
    splitLink({
      condition: (op) => STREAMED_MUTATIONS.has(op.path),
      true: turnLink({ url: shared.url, headers: shared.headers, ...(options.fetch ? { fetch: options.fetch } : {}) }),
      false: splitLink({
        condition: (op) => op.type === 'query',
        true: httpBatchStreamLink(shared),
        false: httpBatchLink(shared),
      }),
    }),
  ];
}
