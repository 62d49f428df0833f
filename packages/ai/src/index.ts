export { readAiEnv, type AiEnv } from './env';
export {
  isProviderConfigured,
  languageModelFor,
  OPENAI_CHAT_PREFIX,
  providerSettingsFromEnv,
  type ModelRef,
  type ProviderSettings,
} from './providers';
export { PROVIDER_ERROR_MESSAGES, ProviderError, toProviderError, type ProviderErrorKind } from './errors';
export { assemblePrompt, identitySection, type AssembledPrompt, type AssemblePromptInput, type PromptIdentity } from './prompt';
export { renderTemplate, TEMPLATE_VARIABLES, type TemplateContext } from './template';
export {
  streamAnswer,
  type AnswerFinishReason,
  type AnswerResult,
  type AnswerStream,
  type StreamAnswerOptions,
} from './stream';
export { costMicros } from './cost';
export {
  cleanTitle,
  fallbackTitle,
  generateTitle,
  MAX_TITLE_CHARS,
  type GeneratedTitle,
  type GenerateTitleOptions,
} from './title';
export { generateSummary, MAX_SUMMARY_CHARS, type GeneratedSummary, type GenerateSummaryOptions } from './summary';
export { estimateMessageTokens, estimateTokens, type TokenUsage } from './tokens';
