import type { Server } from 'node:http';
import { logger } from '../observability/log';
import type { ApiRuntime } from './runtime';

/** A listening server, closed in two steps: stop taking connections, then end the ones left. */
export type Listener = { stopAccepting(): void; close(): Promise<void> };

/**
 * Stops a server process in order, so nothing a user is waiting for is lost:
 * 1. readiness turns false and new turns are refused (the load balancer sends traffic elsewhere);
 * 2. after `SHUTDOWN_DELAY_SECONDS` the listeners stop taking connections;
 * 3. running answers get until `SHUTDOWN_DRAIN_SECONDS` to finish, then are stopped cleanly
 *    (partial text kept, usage settled);
 * 4. the listeners close, then the runtime: after-work enqueued, jobs finished or handed back,
 *    the database last.
 */
export async function shutDown(runtime: ApiRuntime, listeners: readonly Listener[], extra: { beforeClose?: () => Promise<unknown> } = {}) {
  runtime.stopping = true;
  runtime.config.answers.close();
  logger.info({ running: runtime.config.answers.size }, 'stopping: not ready, new turns refused');
  if (runtime.operations.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, runtime.operations.shutdownDelayMs));
  for (const listener of listeners) listener.stopAccepting();
  const answers = await runtime.config.answers.drain(runtime.operations.drainMs);
  logger.info(answers, 'stopping: running answers ended');
  await Promise.allSettled(listeners.map((listener) => listener.close()));
  await extra.beforeClose?.();
  await runtime.close();
  logger.info('stopped');
}

/**
 * SIGTERM or SIGINT shuts the process down gracefully and exits 0; a second signal exits at once
 * (an impatient operator, or a supervisor's kill after its grace period).
 */
export function stopOnSignals(runtime: ApiRuntime, listeners: readonly Listener[], extra: { beforeClose?: () => Promise<unknown> } = {}) {
  let stopping: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received: shutting down');
    stopping = shutDown(runtime, listeners, extra).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutting down failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** How long closing waits for open responses (a drained answer's last events) before cutting them. */
const CLOSE_GRACE_MS = 5_000;

/**
 * A node HTTP server as a `Listener`. Stopping takes no new connections and closes idle ones;
 * closing after that lets open responses end (a drained answer still writes its last events),
 * closing each connection as it goes idle, and cuts whatever is left after a short grace.
 * Closing without stopping first (tests, a failed start) cuts open connections at once.
 */
export function httpListener(server: Server, options: { beforeClose?: () => Promise<unknown> } = {}): Listener {
  let closed: Promise<void> | null = null;
  const stopAccepting = () => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  };
  return {
    stopAccepting,
    async close() {
      const graceful = closed !== null;
      await options.beforeClose?.();
      stopAccepting();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => server.closeAllConnections(), graceful ? CLOSE_GRACE_MS : 0);
      try {
        await closed;
      } finally {
        clearInterval(idle);
        clearTimeout(grace);
      }
    },
  };
}
