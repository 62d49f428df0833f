import type { $ZodIssue } from 'zod/v4/core';

/**
 * PostgreSQL text cannot hold the NUL character (U+0000), and no form, title or message has a use
 * for it. Every procedure's raw input passes through here before its own schema runs, so a new
 * procedure is covered without anyone remembering to: the caller gets BAD_REQUEST with the field,
 * never a 500 from the database halfway through a write.
 */
export const NUL_MESSAGE = 'Text cannot contain the NUL character (U+0000).';

/** Paths (as zod reports them) of every string, or object key, that holds a NUL character. */
export function findUnstorableText(value: unknown, path: PropertyKey[] = [], found: PropertyKey[][] = [], depth = 0): PropertyKey[][] {
  if (depth > 64) return found; // deeper input is refused by the schemas anyway
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findUnstorableText(item, [...path, index], found, depth + 1));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push([...path, key]);
      findUnstorableText(item, [...path, key], found, depth + 1);
    }
  }
  return found;
}

/** The issues a zod parse would report for those paths, so forms show them beside the field. */
export function unstorableTextIssues(value: unknown): $ZodIssue[] {
  return findUnstorableText(value).map((path) => ({ code: 'custom', path, message: NUL_MESSAGE, input: undefined }));
}
