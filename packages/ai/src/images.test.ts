import { startStubUpstream, type StubUpstream } from '@atrium/testing/stub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageCostMicros } from './cost';
import { ProviderError } from './errors';
import { generateImages } from './images';
import type { ProviderSettings } from './providers';

let stub: StubUpstream;
let settings: ProviderSettings;

beforeAll(async () => {
  stub = await startStubUpstream();
  settings = { openai: { apiKey: 'openai-test-key', baseURL: stub.url }, local: { baseURL: stub.url }, demo: { baseURL: stub.url }, groq: { apiKey: 'gsk' } };
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

describe('image generation through the AI SDK', () => {
  it.each([
    { name: 'OpenAI', model: { provider: 'openai' as const, providerModelId: 'dall-e-3' }, authorization: 'Bearer openai-test-key' },
    { name: 'an OpenAI-compatible engine', model: { provider: 'local' as const, providerModelId: 'sdxl' }, authorization: undefined },
  ])('draws a real PNG with $name', async ({ model, authorization }) => {
    const result = await generateImages({ model, settings, prompt: 'A lighthouse at dusk' });
    expect(result.error).toBeUndefined();
    expect(result.images).toHaveLength(1);
    const [image] = result.images;
    expect(image!.mediaType).toBe('image/png');
    // A PNG: the signature, then the IHDR chunk's width and height.
    const bytes = Buffer.from(image!.data);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 64]);
    expect(stub.imageRequests).toHaveLength(1);
    expect(stub.imageRequests[0]!.body).toMatchObject({ model: model.providerModelId, prompt: 'A lighthouse at dusk', n: 1 });
    expect(stub.imageRequests[0]!.headers.authorization).toBe(authorization);
  });

  it('reports a refusal as a safe error, without retrying', async () => {
    stub.scriptImages({ status: 400 });
    const result = await generateImages({ model: { provider: 'demo', providerModelId: 'atrium-draw' }, settings, prompt: 'x' });
    expect(result.images).toEqual([]);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error!.kind).toBe('refused');
    expect(stub.imageRequests).toHaveLength(1);
  });

  it('stops when the caller aborts, and times out a silent upstream', async () => {
    stub.scriptImages({ delayMs: 2_000 }, { delayMs: 2_000 });
    const controller = new AbortController();
    const stopped = generateImages({ model: { provider: 'demo', providerModelId: 'atrium-draw' }, settings, prompt: 'x', abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await stopped).toMatchObject({ aborted: true, images: [] });
    const late = await generateImages({ model: { provider: 'demo', providerModelId: 'atrium-draw' }, settings, prompt: 'x', timeoutMs: 50 });
    expect(late.error?.kind).toBe('timeout');
  });

  it('refuses a provider without image models before any call', () => {
    expect(() => generateImages({ model: { provider: 'groq', providerModelId: 'llama' }, settings, prompt: 'x' })).toThrow(ProviderError);
    expect(() => generateImages({ model: { provider: 'openai', providerModelId: 'dall-e-3' }, settings: {}, prompt: 'x' })).toThrow('not configured');
  });

  it('prices pictures by the catalogue, plus any reported tokens', () => {
    const model = { inputPricePerMTok: 2, outputPricePerMTok: 8, pricePerImage: 0.04 };
    expect(imageCostMicros(model, 2, null)).toBe(80_000);
    expect(imageCostMicros(model, 1, { promptTokens: 10, completionTokens: 100 })).toBe(40_000 + 20 + 800);
  });
});
