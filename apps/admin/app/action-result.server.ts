import { toRefusal } from '@atrium/ui/form.server';
import type { ActionResult } from './action-result';

/**
 * Runs one procedure for an action: its result, or the refusal a form can show (bugs and outages
 * are thrown on to the error boundary). `submitted` lets a blank field read "required".
 */
export async function attempt<T>(
  intent: string,
  submitted: Record<string, unknown>,
  call: () => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    return { ok: true, intent, result: await call() };
  } catch (error) {
    return { ok: false, intent, refusal: toRefusal(error, submitted) };
  }
}
