import { describe, expect, it } from 'vitest';
import { readAiEnv } from './env';
import { ProviderError } from './errors';
import { isProviderConfigured, languageModelFor, providerSettingsFromEnv } from './providers';

describe('provider settings', () => {
  it('configures only the providers the environment sets up', () => {
    const settings = providerSettingsFromEnv(
      readAiEnv({
        GROQ_API_KEY: 'gsk',
        OPENAI_API_KEY: '',
        LOCAL_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
        DEMO_LLM_BASE_URL: '',
      }),
    );
    expect(isProviderConfigured('groq', settings)).toBe(true);
    expect(isProviderConfigured('openai', settings)).toBe(false);
    expect(isProviderConfigured('local', settings)).toBe(true);
    expect(isProviderConfigured('demo', settings)).toBe(false);
  });

  it('reads timeouts with defaults and rejects malformed URLs', () => {
    expect(readAiEnv({}).LLM_TIMEOUT_MS).toBe(60_000);
    expect(readAiEnv({ LLM_TIMEOUT_MS: '' }).LLM_TIMEOUT_MS).toBe(60_000);
    expect(readAiEnv({ LLM_TIMEOUT_MS: '5000', LLM_FIRST_TOKEN_TIMEOUT_MS: '9000' })).toMatchObject({
      LLM_TIMEOUT_MS: 5000,
      LLM_FIRST_TOKEN_TIMEOUT_MS: 9000,
    });
    expect(() => readAiEnv({ LOCAL_LLM_BASE_URL: 'localhost:11434' })).toThrow(/LOCAL_LLM_BASE_URL/);
  });

  it('picks the Responses API for OpenAI unless the model id asks for Chat Completions', () => {
    const settings = { openai: { apiKey: 'sk' } };
    const responses = languageModelFor({ provider: 'openai', providerModelId: 'gpt-4.1-mini' }, settings);
    const chat = languageModelFor({ provider: 'openai', providerModelId: 'chat:gpt-4.1-mini' }, settings);
    expect(responses).toMatchObject({ provider: 'openai.responses', modelId: 'gpt-4.1-mini' });
    expect(chat).toMatchObject({ provider: 'openai.chat', modelId: 'gpt-4.1-mini' });
  });

  it('refuses a model whose provider is not configured, in words a user can read', () => {
    const call = () => languageModelFor({ provider: 'openai', providerModelId: 'gpt-4.1-mini' }, {});
    expect(call).toThrow(ProviderError);
    expect(call).toThrow('This model is not configured on this server; ask an administrator.');
  });
});
