import { getFetch, TRPCClientError, type HTTPHeaders, type Operation, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
// The consumer httpBatchStreamLink reads its answers with; @trpc/client and @trpc/server are pinned
// to the same version (package.json), as tRPC requires.
import { jsonlStreamConsumer } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';

export type TurnLinkOptions = {
  /** Full URL of the tRPC endpoint. */
  url: string;
  headers: () => HTTPHeaders;
  fetch?: typeof fetch;
};

type Envelope = { result: { data: unknown } } | { error: unknown };

/**
 * A chat turn's request, sent the moment the call is made. tRPC's batch links hold every call
 * for a `setTimeout` that gathers the batch: at least 1 ms in Node, and in a browser until the
 * task that made the call (the send button's handler and the render it causes) is done. Measured
 * with `bench:first-token`, that timer was 1.1 ms of the 1.8 ms between a script's send and the
 * server's reading of the request. A turn is never batched with other calls anyway: the server
 * starts a turn's response with its first event only when the turn is alone in its request
 * (`startsAfterIo` in the API's trpc-adapter.ts). So a turn goes at once, in the same format
 * as httpBatchStreamLink's (a batch of one, answered in jsonl), and its answer is read the same way.
 */
export function turnLink<TRouter extends AnyTRPCRouter>(options: TurnLinkOptions): TRPCLink<TRouter> {
  const fetchFn = getFetch(options.fetch);
  return () =>
    ({ op }) =>
      observable((observer) => {
        const abortController = new AbortController();
        const signal = op.signal ? AbortSignal.any([op.signal, abortController.signal]) : abortController.signal;
        let done = false;
        send(op, signal, abortController)
          .then(({ json, response }) => {
            done = true;
            if ('error' in json) {
              observer.error(TRPCClientError.from(json as Parameters<typeof TRPCClientError.from>[0], { meta: { response } }));
              return;
            }
            observer.next({ context: { response }, result: json.result });
            observer.complete();
          })
          .catch((cause: unknown) => {
            done = true;
            observer.error(TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause))));
          });
        return () => {
          if (!done) abortController.abort();
        };
      });

  async function send(op: Operation, signal: AbortSignal, abortController: AbortController): Promise<{ json: Envelope; response: Awaited<ReturnType<typeof fetchFn>> }> {
    const response = await fetchFn(`${options.url}/${op.path}?batch=1`, {
      method: 'POST',
      headers: { ...options.headers(), 'content-type': 'application/json', 'trpc-accept': 'application/jsonl' } as HeadersInit,
      body: JSON.stringify({ 0: superjson.serialize(op.input) }),
      signal,
    });
    if (!response.ok) {
      // Refused before the call ran (a request too large, a server error): one error for the request.
      // A body that is not tRPC's (a proxy's error page) says only its status.
      const json = (await response.json().catch(() => null)) as Envelope | null;
      if (!json || typeof json !== 'object' || !('error' in json)) {
        // tRPC types a custom fetch's response without its status; every fetch has one.
        const { status = '', statusText = '' } = response as Partial<Pick<Response, 'status' | 'statusText'>>;
        throw new Error(`The server answered ${status} ${statusText}`.trim());
      }
      json.error = superjson.deserialize(json.error as Parameters<typeof superjson.deserialize>[0]);
      return { json, response };
    }
    const [head] = await jsonlStreamConsumer<Record<string, Promise<Envelope> | Envelope>>({
      from: response.body!,
      deserialize: (data) => superjson.deserialize(data as Parameters<typeof superjson.deserialize>[0]),
      formatError: ({ error }) => TRPCClientError.from({ error } as Parameters<typeof TRPCClientError.from>[0]),
      abortController,
    });
    let json = await head[0]!;
    // The stream resolves the result and its data as promises of their own (the answer's events are its data).
    if ('result' in json) {
      const result = await json.result;
      json = { result: { data: await result.data } };
    }
    return { json, response };
  }
}
