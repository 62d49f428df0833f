/**
 * Turns what the router's server-side caller throws into something a form action can return:
 * a code, the first problem per field and, for throttling, when it lifts. Server-only: the
 * caller's errors never reach the browser as such.
 */
import type { FieldIssue, Refusal, RefusalCode } from '../forms/issues';

const FORM_CODES = new Set<string>([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
] satisfies RefusalCode[]);

type TrpcErrorLike = Error & { code: string; cause?: unknown };
const isTrpcError = (error: unknown): error is TrpcErrorLike =>
  error instanceof Error && error.name === 'TRPCError' && typeof (error as { code?: unknown }).code === 'string';

// zod 4's issue shapes, as far as forms care.
type ZodIssueLike = {
  code: string;
  path: readonly PropertyKey[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
};

/** One zod issue as a field problem; `empty` says the visitor left the field blank. */
export function fieldIssue(issue: ZodIssueLike, empty = false): FieldIssue {
  if (empty) return { kind: 'required' };
  // Lengths have a sentence of their own; a number out of range is just not valid.
  const isLength = issue.origin === undefined || issue.origin === 'string';
  switch (issue.code) {
    case 'too_small':
      if (!isLength) return { kind: 'invalid' };
      return Number(issue.minimum ?? 0) <= 1 ? { kind: 'required' } : { kind: 'tooShort', min: Number(issue.minimum) };
    case 'too_big':
      return isLength ? { kind: 'tooLong', max: Number(issue.maximum ?? 0) } : { kind: 'invalid' };
    case 'invalid_format':
      return issue.format === 'email' ? { kind: 'email' } : { kind: 'invalid' };
    default:
      return { kind: 'invalid' };
  }
}

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function fieldsOf(cause: unknown, submitted: Record<string, unknown>): Record<string, FieldIssue> {
  const issues = (cause as { issues?: unknown } | null | undefined)?.issues;
  const fields: Record<string, FieldIssue> = {};
  if (!Array.isArray(issues)) return fields;
  for (const issue of issues as ZodIssueLike[]) {
    // `{ id, limits: { demo: { dailyRequestLimit } } }` reports the innermost named field, and a
    // nested one under its dotted path too (`developerName.tr`), where the innermost name is shared.
    const named = (issue.path ?? []).filter((segment): segment is string => typeof segment === 'string');
    const field = named.at(-1);
    if (field && !(field in fields)) fields[field] = fieldIssue(issue, field in submitted && isBlank(submitted[field]));
    const dotted = named.join('.');
    if (named.length > 1 && !(dotted in fields)) fields[dotted] = fieldIssue(issue, dotted in submitted && isBlank(submitted[dotted]));
  }
  return fields;
}

function resetsAtOf(cause: unknown): string | null {
  const details = (cause as { details?: { resetsAt?: unknown } } | null | undefined)?.details;
  return typeof details?.resetsAt === 'string' ? details.resetsAt : null;
}

function banOf(cause: unknown): Refusal['ban'] {
  const ban = (cause as { ban?: { reason?: unknown; until?: unknown } } | null | undefined)?.ban;
  if (!ban || typeof ban !== 'object') return null;
  return { reason: typeof ban.reason === 'string' ? ban.reason : null, until: typeof ban.until === 'string' ? ban.until : null };
}

/**
 * The refusal behind an error from `context.trpc.*`; anything that is not a refusal a form can
 * show (a bug, the database gone) is thrown on to the error boundary. `submitted` (the values
 * sent) lets a blank field read "required" rather than "too short".
 */
export function toRefusal(error: unknown, submitted: Record<string, unknown> = {}): Refusal {
  if (!isTrpcError(error) || !FORM_CODES.has(error.code)) throw error;
  return {
    code: error.code as RefusalCode,
    message: error.message,
    fields: fieldsOf(error.cause, submitted),
    resetsAt: resetsAtOf(error.cause),
    ban: banOf(error.cause),
  };
}

/** A refusal made up by the page itself (e.g. two passwords that differ). */
export function fieldRefusal(fields: Record<string, FieldIssue>): Refusal {
  return { code: 'BAD_REQUEST', message: 'Some fields need attention.', fields, resetsAt: null };
}
