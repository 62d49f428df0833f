import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderSettings } from './providers';
import { generateSummary, MAX_SUMMARY_CHARS } from './summary';

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
const messages = [
  { role: 'user' as const, content: 'I am writing a thesis on coral reefs.' },
  { role: 'assistant' as const, content: 'Great topic. Which ocean?' },
  { role: 'system' as const, content: 'never replayed' },
];

describe('generateSummary', () => {
  it('folds the new messages into the previous summary in one non-streaming request', async () => {
    stub.script({
      text: '  The user writes a thesis on coral reefs.  ',
      usage: { promptTokens: 120, completionTokens: 9 },
    });
    const result = await generateSummary({
      model: groq,
      settings,
      previousSummary: 'The user studies biology.',
      messages,
    });
    expect(result).toEqual({
      summary: 'The user writes a thesis on coral reefs.',
      usage: { promptTokens: 120, completionTokens: 9 },
    });
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0]!;
    expect(request.stream).toBe(false);
    expect(request.messages[0]).toMatchObject({ role: 'system' });
    expect(request.messages[1]!.content).toContain('Summary so far:\nThe user studies biology.');
    expect(request.messages[1]!.content).toContain('User: I am writing a thesis on coral reefs.');
    expect(request.messages[1]!.content).toContain('Assistant: Great topic. Which ocean?');
    expect(request.messages[1]!.content).not.toContain('never replayed');
  });

  it('keeps a long reply within the summary bound', async () => {
    stub.script({ text: 'word '.repeat(2000) });
    const result = await generateSummary({ model: groq, settings, previousSummary: null, messages });
    expect(result.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  });

  it.each([
    [{ status: 500 }, 'failed'],
    [{ status: 429 }, 'rate-limited'],
    [{ text: '   ' }, 'failed'],
  ])('throws a ProviderError for %o, so the previous summary stays', async (reply, kind) => {
    stub.script(reply);
    await expect(generateSummary({ model: groq, settings, previousSummary: 'old', messages })).rejects.toMatchObject({
      kind,
    });
  });

  it('gives up after the timeout', async () => {
    stub.script({ hang: true });
    await expect(
      generateSummary({ model: groq, settings, previousSummary: null, messages, timeoutMs: 150 }),
    ).rejects.toMatchObject({
      name: 'ProviderError',
    });
  });

  it('summarises extractively for the offline demo model, without an upstream call', async () => {
    const result = await generateSummary({
      model: { provider: 'demo', providerModelId: 'atrium-demo' },
      settings,
      previousSummary: '- The user asked: hello',
      messages,
    });
    expect(result).toEqual({
      summary: '- The user asked: hello\n- The user asked: I am writing a thesis on coral reefs.',
      usage: null,
    });
    expect(stub.requests).toHaveLength(0);
  });
});
