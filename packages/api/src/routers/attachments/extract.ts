import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import type { Kind } from './sniff';

/** Extracted text kept per document (about 250k tokens); longer text is cut here with a marker. */
export const MAX_EXTRACTED_CHARS = 1_000_000;
export const CUT_MARKER = '[… the rest of this document was cut: it is longer than Atrium keeps …]';

/** Why a document has no text, as a code the apps translate. */
export type ExtractionFailure = 'no-text-layer' | 'empty' | 'unreadable';

export class ExtractionError extends Error {
  constructor(readonly failure: ExtractionFailure, options?: { cause?: unknown }) {
    super(`text extraction failed: ${failure}`, options);
    this.name = 'ExtractionError';
  }
}

/**
 * The text of a stored document. The parsers need the whole file (PDF and DOCX are indexed
 * formats), so it is read into memory here; the per-type upload limit bounds how much that is.
 */
export async function extractDocumentText(kind: Kind, body: Readable): Promise<string> {
  const bytes = await buffer(body);
  const text = await parse(kind, bytes);
  const normalised = text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (!normalised) throw new ExtractionError(kind === 'pdf' ? 'no-text-layer' : 'empty');
  return normalised.length > MAX_EXTRACTED_CHARS ? `${normalised.slice(0, MAX_EXTRACTED_CHARS)}\n${CUT_MARKER}` : normalised;
}

async function parse(kind: Kind, bytes: Buffer): Promise<string> {
  try {
    // The parsers are loaded by the first document of their kind (a job), not at the server's start.
    if (kind === 'pdf') {
      const { extractText, getDocumentProxy } = await import('unpdf');
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        const { text } = await extractText(pdf, { mergePages: false });
        // Pages stay apart so a reader can tell where one ends.
        return text.map((page) => page.trim()).filter(Boolean).join('\n\n');
      } finally {
        await pdf.cleanup();
      }
    }
    if (kind === 'docx') return (await (await import('mammoth')).default.extractRawText({ buffer: bytes })).value;
    if (kind === 'text') return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new ExtractionError('unreadable', { cause: error });
  }
  throw new ExtractionError('unreadable');
}
