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
export { assemblePrompt, identitySection, IMAGE_TOKENS, type AssembledPrompt, type AssemblePromptInput, type PromptIdentity, type PromptImage } from './prompt';
export { fitDocuments, fitText, omittedMarker, PASSAGE_CHARS, type PromptDocument } from './documents';
export { renderTemplate, TEMPLATE_VARIABLES, type TemplateContext } from './template';
export { perZone, perZoneMinute, zonedDayFormat } from './zoned';
export {
  streamAnswer,
  streamAnswerOnceAdmitted,
  type AnswerFinishReason,
  type AnswerResult,
  type AnswerStream,
  type StreamAnswerOptions,
} from './stream';
export { costMicros, imageCostMicros } from './cost';
export { generateImages, imageModelFor, type GeneratedImage, type GenerateImagesOptions, type ImageAnswerResult } from './images';
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
export {
  isSensitiveFact,
  LEARNABLE_CATEGORIES,
  proposeMemories,
  screenProposals,
  type LearnableCategory,
  type ProposedMemories,
  type ProposedMemory,
  type ProposeMemoriesOptions,
} from './memory';
