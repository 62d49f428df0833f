import { useEffect } from 'react';
import { leaveForSignIn } from '../session/lost-access';
import { trpc } from '../trpc';

/**
 * Keeps an open page honest about who is signed in: asks `auth.me` every `intervalMs` and when the
 * window regains focus. A revoked session or a suspended account (`me` turns null) sends the page
 * to sign-in; a different account signed in from another tab reloads it.
 */
export function SessionWatch({ userId, intervalMs = 30_000 }: { userId: string; intervalMs?: number }) {
  const me = trpc.auth.me.useQuery(undefined, {
    refetchInterval: intervalMs,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
    // Dropped when the watch unmounts (signed out), so a later account never sees this answer.
    gcTime: 0,
  });
  const answered = me.isFetchedAfterMount && me.isSuccess;
  const current = me.data;
  useEffect(() => {
    if (!answered) return;
    if (current === null) leaveForSignIn();
    else if (current && current.id !== userId) window.location.reload();
  }, [answered, current, userId]);
  return null;
}
