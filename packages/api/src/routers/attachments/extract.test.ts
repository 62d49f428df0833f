import { Readable } from 'node:stream';
import { pdfWithPages } from '@atrium/testing/files';
import { describe, expect, it } from 'vitest';
import { CUT_MARKER, extractDocumentText, MAX_EXTRACTED_CHARS } from './extract';

describe('a document’s text', () => {
  it('keeps every page of a PDF, in order, each apart', async () => {
    const text = await extractDocumentText('pdf', Readable.from([await pdfWithPages(3, 2)]));
    expect(text.split('\n\n').map((page) => page.split('\n')[0])).toEqual([
      'Page 1, line 1: the lecture goes on about entropy and heat.',
      'Page 2, line 1: the lecture goes on about entropy and heat.',
      'Page 3, line 1: the lecture goes on about entropy and heat.',
    ]);
  });

  it('is cut where Atrium stops keeping text, and says so, from the first character on', async () => {
    const line = 'A line of a very long syllabus, one of many.\r\n';
    // Windows line ends are read as one character each: still well over the limit.
    const body = line.repeat(Math.ceil(MAX_EXTRACTED_CHARS / 40));
    const text = await extractDocumentText('text', Readable.from([Buffer.from(body)]));
    expect(text).toHaveLength(MAX_EXTRACTED_CHARS + 1 + CUT_MARKER.length);
    expect(text.startsWith('A line of a very long syllabus, one of many.\nA line')).toBe(true);
    expect(text.endsWith(`\n${CUT_MARKER}`)).toBe(true);
  });

  it('is kept whole when it is just short enough', async () => {
    const body = 'x'.repeat(MAX_EXTRACTED_CHARS);
    expect(await extractDocumentText('text', Readable.from([Buffer.from(body)]))).toBe(body);
  });
});
