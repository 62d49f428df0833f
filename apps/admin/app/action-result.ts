import type { Refusal } from '@atrium/ui';

/**
 * What a page's action answers: the procedure's result, or the API's refusal (translated by the
 * page). `intent` says which of the page's forms it answers.
 */
export type ActionResult<T = unknown> =
  { ok: true; intent: string; result: T } | { ok: false; intent: string; refusal: Refusal };

/** Form fields as the API wants them. An unparsable number becomes NaN, which the API refuses on that field. */
export const formText = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
export const formBoolean = (form: FormData, name: string) => form.get(name) === 'on' || form.get(name) === 'true';
export const formNumber = (form: FormData, name: string) => {
  const text = formText(form, name);
  return text === '' ? Number.NaN : Number(text);
};
/** Empty means "not set" (null). */
export const formOptionalNumber = (form: FormData, name: string) =>
  formText(form, name) === '' ? null : formNumber(form, name);
export const formOptionalText = (form: FormData, name: string) => formText(form, name) || null;
