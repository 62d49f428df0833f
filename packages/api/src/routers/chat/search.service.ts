import { foldForSearch, MESSAGE_SEARCH_VECTOR_SQL, type EntityManager, type IUser, type MessageRole } from '@atrium/db';

/** At most this many words of a query count; more only slow the search without narrowing it much. */
const MAX_TERMS = 8;
/** Characters of context around the first match in a snippet. */
const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 220;

export type SnippetPart = { text: string; match: boolean };

/** The words of a query: letters and digits only, so nothing in it is a tsquery operator. */
export function searchTerms(query: string): string[] {
  return query
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_TERMS)
    .map((term) => term.slice(0, 64));
}

/**
 * Searches the text of my messages, in every conversation of mine (archived ones too): each
 * word of the query matches a word of a message that starts with it, with Turkish İ/I/ı/i and
 * diacritics folded on both sides (`atrium_fold`), through the GIN index on the folded words.
 * Best matches first (`ts_rank`), then newest.
 */
export async function searchMessages(em: EntityManager, user: IUser, input: { query: string; limit: number }) {
  const terms = searchTerms(input.query);
  if (terms.length === 0) return [];
  const tsquery = terms.map((term) => `${term}:*`).join(' & ');
  const rows = await em.execute<
    {
      id: string;
      conversation_id: string;
      title: string;
      archived_at: Date | null;
      role: MessageRole;
      content: string;
      created_at: Date;
      rank: number;
    }[]
  >(
    `select m.id, m.conversation_id, c.title, c.archived_at, m.role, m.content, m.created_at, ts_rank(${vector('m')}, q) as rank
     from messages m
     join conversations c on c.id = m.conversation_id
     cross join to_tsquery('simple'::regconfig, atrium_fold(?)) q
     where c.user_id = ? and ${vector('m')} @@ q
     order by rank desc, m.created_at desc, m.id desc
     limit ?`,
    [tsquery, user.id, input.limit],
  );
  return rows.map((row) => ({
    messageId: row.id,
    conversationId: row.conversation_id,
    conversationTitle: row.title,
    archived: row.archived_at !== null,
    role: row.role,
    createdAt: new Date(row.created_at),
    snippet: snippet(row.content, terms),
  }));
}

// The index's expression, on a table alias: the planner matches it to the index.
const vector = (alias: string) => MESSAGE_SEARCH_VECTOR_SQL.replace('(content)', `(${alias}.content)`);

const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);

/**
 * A piece of the message around its first match, with every word that starts with a query
 * term marked. Matching runs on the folded text, which keeps every position of the original.
 */
export function snippet(content: string, terms: readonly string[]): { parts: SnippetPart[]; before: boolean; after: boolean } {
  const folded = foldForSearch(content);
  const needles = terms.map(foldForSearch);
  const ranges: [number, number][] = [];
  for (let index = 0; index < folded.length; index++) {
    if (isWordChar(folded[index - 1]) || !isWordChar(folded[index])) continue;
    const needle = needles.find((term) => folded.startsWith(term, index));
    if (!needle) continue;
    let end = index + needle.length;
    while (isWordChar(folded[end])) end++;
    ranges.push([index, end]);
    index = end;
  }
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - SNIPPET_BEFORE);
  while (start > 0 && isWordChar(content[start - 1])) start--;
  let stop = Math.min(content.length, start + SNIPPET_LENGTH);
  while (stop < content.length && isWordChar(content[stop])) stop++;

  const parts: SnippetPart[] = [];
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= stop) continue;
    if (from > at) parts.push({ text: content.slice(at, from), match: false });
    parts.push({ text: content.slice(Math.max(from, at), Math.min(to, stop)), match: true });
    at = Math.min(to, stop);
  }
  if (at < stop) parts.push({ text: content.slice(at, stop), match: false });
  return { parts: collapseWhitespace(parts), before: start > 0, after: stop < content.length };
}

/** A snippet is one line: newlines and runs of spaces become single spaces. */
function collapseWhitespace(parts: SnippetPart[]): SnippetPart[] {
  return parts.map((part) => ({ ...part, text: part.text.replace(/\s+/g, ' ') }));
}
