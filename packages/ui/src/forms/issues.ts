import type { TranslateVars } from '../i18n/i18n';
import type { accessEn } from '../i18n/access.en';

/** Any app's translate function: it knows the shared `form.*` strings. */
type FormTranslate = (key: `form.${keyof (typeof accessEn)['form']}`, vars?: TranslateVars) => string;

/**
 * What was wrong with one form field, as the API's zod schema said it, without the schema's
 * English wording: pages translate it (`describeIssue`) so the rules stay in one place, the API,
 * and the message still comes in the visitor's language.
 */
export type FieldIssue =
  | { kind: 'required' }
  | { kind: 'tooShort'; min: number }
  | { kind: 'tooLong'; max: number }
  | { kind: 'email' }
  | { kind: 'mismatch' }
  | { kind: 'invalid' };

/** The codes a form can act on (anything else reaches the route's error boundary). */
export type RefusalCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

/** An API refusal, ready to travel from an action to its page. */
export type Refusal = {
  code: RefusalCode;
  /** The API's own (English) message: for telling cases apart and for logs, not for display. */
  message: string;
  /** The first problem per field, keyed by the input's name. */
  fields: Record<string, FieldIssue>;
  /** When a throttle or limit lifts (ISO 8601), if the API said. */
  resetsAt: string | null;
  /** For a banned account: the admin's reason and when the ban ends (ISO 8601; null = until lifted). */
  ban?: { reason: string | null; until: string | null } | null;
};

/**
 * The translated sentence for a field problem. A page may word `required` ("Enter your
 * username.") and `invalid` ("Use only letters…") for its field.
 */
export function describeIssue(
  t: FormTranslate,
  issue: FieldIssue | undefined,
  wording: { required?: string; invalid?: string } = {},
): string | undefined {
  if (!issue) return undefined;
  switch (issue.kind) {
    case 'required':
      return wording.required ?? t('form.required');
    case 'tooShort':
      return t('form.tooShort', { min: issue.min });
    case 'tooLong':
      return t('form.tooLong', { max: issue.max });
    case 'email':
      return t('form.email');
    case 'mismatch':
      return t('form.mismatch');
    case 'invalid':
      return wording.invalid ?? t('form.invalid');
  }
}
