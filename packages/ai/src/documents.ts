import { estimateTokens } from './tokens';

/** A document's extracted text, as the prompt receives it. */
export type PromptDocument = { name: string; text: string };

/** Passages a long document is cut into when it does not fit whole (~500 tokens each). */
export const PASSAGE_CHARS = 2000;
export const omittedMarker = (chars: number) => `[… ${chars} characters of this document left out here: they did not fit the model's context …]`;

/**
 * The documents as one block for the user's turn, within `budgetTokens`. A document that fits
 * goes in whole. One that does not is used in parts that fit (docs/decisions/110): its first
 * passage (titles, abstracts and introductions live there), then the passages sharing the most
 * words with the question, in document order, each gap marked so the model knows text is
 * missing and can say so. Budget is shared in order: the newest document first.
 */
export function fitDocuments(documents: readonly PromptDocument[], budgetTokens: number, question: string): { block: string; tokens: number; cut: boolean } {
  if (documents.length === 0 || budgetTokens <= 0) return { block: '', tokens: 0, cut: documents.length > 0 };
  const parts: string[] = [];
  let remaining = budgetTokens;
  let cut = false;
  // Each document gets an equal share of what is left, so a huge first one cannot starve the rest.
  documents.forEach((document, index) => {
    const share = Math.floor(remaining / (documents.length - index));
    const header = `<document name="${document.name.replace(/"/g, "'")}">`;
    const footer = '</document>';
    const frameTokens = estimateTokens(header + footer) + 2;
    const fitted = fitText(document.text, Math.max(0, share - frameTokens) * 4, question);
    cut ||= fitted.cut;
    const block = `${header}\n${fitted.text}\n${footer}`;
    remaining -= estimateTokens(block);
    parts.push(block);
  });
  const block = ['The user attached these documents (their extracted text):', ...parts].join('\n\n');
  return { block, tokens: estimateTokens(block), cut };
}

/** `text` within `maxChars`: whole, or its first passage plus the passages most like the question. */
export function fitText(text: string, maxChars: number, question: string): { text: string; cut: boolean } {
  if (text.length <= maxChars) return { text, cut: false };
  const passages: string[] = [];
  for (let offset = 0; offset < text.length; offset += PASSAGE_CHARS) passages.push(text.slice(offset, offset + PASSAGE_CHARS));
  const words = new Set(wordsOf(question));
  const scored = passages.map((passage, index) => ({
    index,
    score: index === 0 ? Number.POSITIVE_INFINITY : wordsOf(passage).filter((word) => words.has(word)).length,
  }));
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const markerChars = omittedMarker(text.length).length + 2;
  const chosen = new Set<number>();
  let used = 0;
  for (const { index } of scored) {
    const cost = passages[index]!.length + markerChars;
    if (used + cost > maxChars) continue;
    chosen.add(index);
    used += cost;
  }
  if (chosen.size === 0) {
    // Not even one passage fits: the start of the document, as much as fits.
    const room = Math.max(0, maxChars - markerChars);
    return { text: `${text.slice(0, room)}\n${omittedMarker(text.length - room)}`, cut: true };
  }
  const out: string[] = [];
  let gap = 0;
  passages.forEach((passage, index) => {
    if (!chosen.has(index)) {
      gap += passage.length;
      return;
    }
    if (gap > 0) out.push(omittedMarker(gap));
    gap = 0;
    out.push(passage);
  });
  if (gap > 0) out.push(omittedMarker(gap));
  return { text: out.join('\n'), cut: true };
}

const wordsOf = (text: string) => text.toLocaleLowerCase('tr').match(/[\p{L}\p{N}]{3,}/gu) ?? [];
