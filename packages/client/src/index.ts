import type { AppRouter } from '@atrium/api';
import { createTRPCClient, type TRPCClient } from '@trpc/client';
import { atriumLinks } from './links';

export { atriumLinks, type AtriumLinkOptions } from './links';

export type AtriumClientOptions = {
  /** The app's origin, e.g. `https://atrium.example.edu`; `/api/trpc` is added. */
  url: string;
  /**
   * A personal API key (`atr_…`, made on the web app's API keys page) or a session token (what
   * `auth.signIn` returns); sent as `Authorization: Bearer`. A key needs no password in the script.
   */
  token?: string;
  fetch?: typeof fetch;
};

/** A fully typed client for scripts and internal tools. */
export function createAtriumClient(options: AtriumClientOptions): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: atriumLinks({
      endpoint: new URL('/api/trpc', options.url).toString(),
      headers: () => (options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  });
}
export type AtriumClient = ReturnType<typeof createAtriumClient>;
