import { useSyncExternalStore } from 'react';

const TICK_MS = 30_000;
const subscribe = (onChange: () => void) => {
  const timer = setInterval(onChange, TICK_MS);
  return () => clearInterval(timer);
};
// Stable within a tick, so React sees the same snapshot until the clock moves on.
const snapshot = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;
const serverSnapshot = () => null;

/**
 * The current time, refreshed every half minute; null while rendering on the server and
 * hydrating, so times that depend on the reader's clock and time zone never mismatch.
 */
export function useNow(): Date | null {
  const now = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  return now === null ? null : new Date(now);
}
