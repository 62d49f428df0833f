import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderSettings } from './providers';
import { cleanTitle, fallbackTitle, generateTitle, MAX_TITLE_CHARS } from './title';

let stub: StubUpstream;
let settings: ProviderSettings;
beforeAll(async () => {
  stub = await startStubUpstream();
  settings = {
    groq: { apiKey: 'k', baseURL: stub.groqUrl },
    openai: { apiKey: 'k', baseURL: stub.url },
    demo: { baseURL: stub.url },
  };
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const groq = { provider: 'groq' as const, providerModelId: 'llama-3.1-8b-instant' };

describe('generateTitle', () => {
  it('asks the model for a title in one non-streaming request and cleans up its reply', async () => {
    stub.script({ text: '"Sorting Algorithms Compared."', usage: { promptTokens: 80, completionTokens: 6 } });
    const title = await generateTitle({
      model: groq,
      settings,
      userMessage: 'Which sorting algorithm is fastest?',
      answer: 'It depends: quicksort...',
    });
    expect(title).toEqual({
      title: 'Sorting Algorithms Compared',
      usage: { promptTokens: 80, completionTokens: 6 },
      fromModel: true,
    });
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0]!;
    expect(request.stream).toBe(false);
    expect(request.messages[0]!.role).toBe('system');
    expect(request.messages[1]!.content).toContain('Which sorting algorithm is fastest?');
    expect(request.messages[1]!.content).toContain('It depends: quicksort...');
  });

  it('works through the Responses API too', async () => {
    stub.script({ text: 'Recursion Basics' });
    const title = await generateTitle({
      model: { provider: 'openai', providerModelId: 'gpt-4.1-mini' },
      settings,
      userMessage: 'What is recursion?',
      answer: 'A function calling itself.',
    });
    expect(title.title).toBe('Recursion Basics');
    expect(stub.lastRequest!.path).toBe('/v1/responses');
  });

  it('falls back to the first words of the message when the upstream fails', async () => {
    stub.script({ status: 500 });
    const title = await generateTitle({
      model: groq,
      settings,
      userMessage: 'How do I   cite a paper in APA style when there are many authors involved?',
      answer: '...',
    });
    expect(title).toMatchObject({
      title: 'How do I cite a paper in APA style when there are many…',
      fromModel: false,
      usage: null,
    });
    expect(title.error).toMatchObject({ kind: 'failed' });
    expect(title.title.length).toBeLessThanOrEqual(60);
  });

  it('falls back when the upstream is too slow', async () => {
    stub.script({ hang: true });
    const title = await generateTitle({
      model: groq,
      settings,
      userMessage: 'Short question',
      answer: 'x',
      timeoutMs: 150,
    });
    expect(title).toMatchObject({ title: 'Short question', fromModel: false });
  });

  it('does not ask the offline demo model', async () => {
    const title = await generateTitle({
      model: { provider: 'demo', providerModelId: 'atrium-demo' },
      settings,
      userMessage: 'Hello there',
      answer: 'demo',
    });
    expect(title).toEqual({ title: 'Hello there', usage: null, fromModel: false });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('cleanTitle', () => {
  it('keeps the first line without markdown, labels, quotes or final punctuation, within 60 characters', () => {
    expect(cleanTitle('\n## Title: **Photosynthesis in Plants**!\nMore text')).toBe('Photosynthesis in Plants');
    expect(cleanTitle('“Quoted”')).toBe('Quoted');
    const long = cleanTitle('word '.repeat(30));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives a default for an empty message', () => {
    expect(fallbackTitle('   ')).toBe('New chat');
  });
});

describe('shortened titles', () => {
  it('never split an emoji or a combining sequence', () => {
    for (const raw of ['🎉'.repeat(29 * 3), `${'e\u0301'.repeat(40)}`, `${'👩‍🎓 '.repeat(30)}`]) {
      for (const title of [cleanTitle(raw), fallbackTitle(raw)]) {
        expect(title.isWellFormed()).toBe(true);
        expect(title).not.toContain('\uFFFD');
        expect([...title].length).toBeLessThanOrEqual(MAX_TITLE_CHARS + 1);
        expect(title.endsWith('…')).toBe(true);
        // Every grapheme but the ellipsis is one of the original's.
        const original = new Set([...new Intl.Segmenter().segment(raw)].map((part) => part.segment));
        for (const { segment } of new Intl.Segmenter().segment(title.slice(0, -1).trimEnd())) expect(original.has(segment), segment).toBe(true);
      }
    }
  });
});
