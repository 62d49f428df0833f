/**
 * Folding for message search, the same in SQL (`atrium_fold`, used by the index) and in
 * JavaScript (for highlighting): one character in, one character out, so positions in the folded
 * text are positions in the original. Turkish İ/I/ı/i all become i (students type "ogrenci" for
 * "öğrenci" and "ISTANBUL" for "İstanbul"), and the diacritics of Turkish and the Western
 * European languages are dropped, before lower-casing.
 */
const PAIRS: [string, string][] = [
  ['İIı', 'iii'],
  ['ÇçĞğÖöŞşÜü', 'ccggoossuu'],
  ['ÂâÊêÎîÔôÛû', 'aaeeiioouu'],
  ['ÁáÉéÍíÓóÚúÀàÈèÌìÒòÙù', 'aaeeiioouuaaeeiioouu'],
  ['ÄäËëÏïÿÑñÅåÆæØøß', 'aaeeiiynnaaaaoos'],
];
export const FOLD_FROM = PAIRS.map(([from]) => from).join('');
export const FOLD_TO = PAIRS.map(([, to]) => to).join('');

const FOLD = new Map([...FOLD_FROM].map((char, index) => [char, FOLD_TO[index]!]));

/** `atrium_fold` in JavaScript: per UTF-16 unit, so the result has the input's length. */
export function foldForSearch(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text[index]!;
    const folded = FOLD.get(unit) ?? unit.toLowerCase();
    out += folded.length === 1 ? folded : unit;
  }
  return out;
}

/** The SQL function the message search index is built on (immutable, so an index may use it). */
export const FOLD_FUNCTION_SQL = `create or replace function atrium_fold(value text) returns text
  language sql immutable strict parallel safe
  as $$ select lower(translate(value, '${FOLD_FROM}', '${FOLD_TO}')) $$;`;

/** What the message search index holds: the folded words of a message, unstemmed (prefixes work in any language). */
export const MESSAGE_SEARCH_VECTOR_SQL = `to_tsvector('simple'::regconfig, atrium_fold(content))`;
