import type { AppRouter } from '@atrium/api';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { atriumLinks } from '@atrium/client';
import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import { useState, type ReactNode } from 'react';
import { isLostAccess, leaveForSignIn } from './session/lost-access';

/** Typed hooks for every procedure: `trpc.health.check.useQuery()`. Types only cross from the API. */
export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();

/**
 * One query cache and tRPC client per page load (never shared between server requests). Both apps
 * mount the router on their own origin, so the relative URL carries the session cookie.
 */
export function TrpcProvider({ children, url = '/api/trpc' }: { children: ReactNode; url?: string }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // A session revoked or an account suspended while the page is open: go to sign-in.
        queryCache: new QueryCache({
          onError: (error, query) => {
            if (isLostAccess(error, query.queryKey)) leaveForSignIn();
          },
        }),
        mutationCache: new MutationCache({
          onError: (error, _variables, _context, mutation) => {
            if (isLostAccess(error, mutation.options.mutationKey)) leaveForSignIn();
          },
        }),
        defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  // Queries and chat streams are streamed; other mutations are not, so they can set cookies.
  const [client] = useState(() => trpc.createClient({ links: atriumLinks({ endpoint: url }) }));
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
