import { describe, expect, it } from 'vitest';
import { fitDocuments, fitText, PASSAGE_CHARS } from './documents';
import { assemblePrompt } from './prompt';

const identity = { displayName: 'Atrium', developerName: 'Uni', productFamily: 'Atrium', shortIntro: '', forbidProviderMention: false };
const filler = (n: number, word = 'lorem') => Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(' ');

describe('documents in the prompt', () => {
  it('puts a document that fits in whole, before the question', () => {
    const prompt = assemblePrompt({
      identity,
      user: { displayName: 'Ada', username: 'ada' },
      history: [],
      userMessage: 'What is the deadline?',
      documents: [{ name: 'syllabus.pdf', text: 'The project deadline is 12 May.' }],
      contextWindow: 8192,
    });
    const content = prompt.messages.at(-1)!.content as string;
    expect(content).toContain('<document name="syllabus.pdf">\nThe project deadline is 12 May.\n</document>');
    expect(content.endsWith('What is the deadline?')).toBe(true);
    expect(prompt.documentsCut).toBe(false);
  });

  it('uses a too-large document in parts: the start and the passages about the question, gaps marked', () => {
    const text = [filler(400, 'intro'), filler(400), 'The photosynthesis chapter explains chlorophyll and photosynthesis in leaves.', filler(4000)].join(' ');
    const fitted = fitText(text, PASSAGE_CHARS * 3, 'How does photosynthesis use chlorophyll?');
    expect(fitted.cut).toBe(true);
    expect(fitted.text.length).toBeLessThanOrEqual(PASSAGE_CHARS * 3);
    expect(fitted.text.startsWith('intro0')).toBe(true);
    expect(fitted.text).toContain('chlorophyll');
    expect(fitted.text).toMatch(/characters of this document left out here/);
  });

  it('keeps the whole prompt within the context window, with room for the answer', () => {
    const prompt = assemblePrompt({
      identity,
      user: { displayName: 'Ada', username: 'ada' },
      history: [{ role: 'user', content: 'earlier' }, { role: 'assistant', content: 'answer' }],
      userMessage: 'Summarise it',
      documents: [{ name: 'book.txt', text: filler(100_000) }],
      contextWindow: 8192,
      maxTokens: 1024,
    });
    expect(prompt.estimatedPromptTokens).toBeLessThanOrEqual(8192 - 1024);
    expect(prompt.documentsCut).toBe(true);
    expect(prompt.messages.at(-1)!.content as string).toMatch(/left out here/);
  });

  it('sends pictures as image parts after the text', () => {
    const png = new Uint8Array([137, 80, 78, 71]);
    const prompt = assemblePrompt({
      identity,
      user: { displayName: 'Ada', username: 'ada' },
      history: [],
      userMessage: 'What is on the board?',
      images: [{ data: png, mediaType: 'image/png' }],
    });
    expect(prompt.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'What is on the board?' }, { type: 'file', data: png, mediaType: 'image/png' }],
    });
  });

  it('shares the budget between documents so each gets a part', () => {
    const { block } = fitDocuments([{ name: 'a', text: filler(20_000, 'alpha') }, { name: 'b', text: filler(20_000, 'beta') }], 3000, 'x');
    expect(block).toContain('alpha0');
    expect(block).toContain('beta0');
  });
});
