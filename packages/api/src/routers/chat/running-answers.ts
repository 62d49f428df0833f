import { UnavailableError } from '@atrium/db';
import { activeStreams, admissionsRefused } from '../../observability/metrics';

type Running = { controller: AbortController; finished: Promise<unknown> };

/**
 * The answers this process is producing (web chat and API alike). A stopping process closes it:
 * new turns are refused with a retryable error, running answers get until the drain deadline to
 * finish, and the rest are stopped as a user's stop would (partial text kept, usage settled).
 */
export class RunningAnswers {
  #accepting = true;
  readonly #running = new Set<Running>();

  get accepting() {
    return this.#accepting;
  }

  get size() {
    return this.#running.size;
  }

  /** Throws before any work when the process no longer takes new turns. */
  assertAccepting() {
    if (this.#accepting) return;
    admissionsRefused.inc({ reason: 'shuttingDown' });
    throw new UnavailableError('The server is restarting; send your message again in a moment.');
  }

  /**
   * Registers an answer about to call the upstream. Its signal follows the caller's and is also
   * aborted when a drain runs out of time or someone stops it (`stop`, from any process through
   * the relay); `track` hands over the promise that settles once the answer is saved and its usage
   * settled.
   */
  begin(callerSignal?: AbortSignal) {
    const controller = new AbortController();
    const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
    return {
      signal,
      stop: () => controller.abort(new Error('Stopped.')),
      track: (finished: Promise<unknown>) => {
        const running: Running = { controller, finished };
        this.#running.add(running);
        activeStreams.inc();
        void finished
          .catch(() => undefined)
          .then(() => {
            this.#running.delete(running);
            activeStreams.dec();
          });
      },
    };
  }

  /** Refuses new turns from now on. */
  close() {
    this.#accepting = false;
  }

  /**
   * Closes, waits up to `deadlineMs` for running answers to end, then stops the rest and waits
   * until they are saved. Returns how many ended on their own and how many were stopped.
   */
  async drain(deadlineMs: number): Promise<{ finished: number; stopped: number }> {
    this.close();
    const all = [...this.#running];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    await Promise.race([Promise.allSettled(all.map((running) => running.finished)), deadline]);
    clearTimeout(timer);
    const left = [...this.#running];
    for (const running of left) running.controller.abort(new Error('The server is shutting down.'));
    await Promise.allSettled(left.map((running) => running.finished));
    return { finished: all.length - left.length, stopped: left.length };
  }
}
