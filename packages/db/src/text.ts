/**
 * Shortening text without breaking it: cuts fall on grapheme boundaries (Intl.Segmenter), so an
 * emoji, a flag or a letter with combining marks is kept whole or dropped whole, never split
 * into "\uFFFD". Lengths count code points, as PostgreSQL's varchar(n) does. Browser-safe: the
 * apps import it through `@atrium/db/text`.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * `text` if it has at most `max` code points; otherwise its longest grapheme-whole prefix that,
 * with `ellipsis` appended, fits in `max`.
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  if (codePointLength(text) <= max) return text;
  const budget = Math.max(0, max - codePointLength(ellipsis));
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = codePointLength(segment);
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  return `${kept}${ellipsis}`;
}

/** Fits a value into a column of `max` characters, without an ellipsis (directory data, user agents). */
export const fitText = (text: string, max: number) => truncateText(text, max, '');

/**
 * Text from outside that PostgreSQL must store: U+0000 removed. Model output can contain it (a
 * model echoing binary, a broken upstream); `text` columns cannot hold it, and an answer must not
 * be lost for one invisible character. Client input is refused instead (docs/decisions/100).
 */
export const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);
