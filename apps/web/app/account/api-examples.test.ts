import { describe, expect, it } from 'vitest';
import { apiExamples } from './api-examples';

describe('the API guide examples', () => {
  it('point the OpenAI SDKs at this server’s /v1 with the key from the environment', () => {
    const examples = apiExamples('https://atrium.example.edu', 'demo');
    expect(examples.baseUrl).toBe('https://atrium.example.edu/v1');
    expect(examples.python).toContain('OpenAI(base_url="https://atrium.example.edu/v1", api_key=os.environ["ATRIUM_API_KEY"])');
    expect(examples.python).toContain('model="demo"');
    expect(examples.javascript).toContain("new OpenAI({ baseURL: 'https://atrium.example.edu/v1', apiKey: process.env.ATRIUM_API_KEY })");
    expect(examples.client).toContain("createAtriumClient({ url: 'https://atrium.example.edu', token: process.env.ATRIUM_API_KEY })");
    for (const code of Object.values(examples)) expect(code).not.toMatch(/atr_[a-z2-7]{8}/);
  });
});
