/**
 * The stub upstream: an OpenAI-compatible HTTP server that speaks the real wire formats
 * (Chat Completions with OpenAI or Groq usage, the Responses API, JSON and SSE), so the real
 * `@ai-sdk/*` providers are tested against it over real HTTP. With `demo: true` the same
 * server is the offline Demo model that `npm run dev` uses when no API key is set.
 */
export {
  startStubUpstream,
  stubHold,
  type StubHold,
  type StubImageRequest,
  type StubImageReply,
  type StubReply,
  type StubReplySource,
  type StubRequest,
  type StubUpstream,
  type StubUpstreamOptions,
} from './server';
export { demoAnswer } from './demo';
export { solidPng } from './png';
export {
  estimatePromptTokens,
  estimateTokens,
  type StubApi,
  type StubFinishReason,
  type StubFlavour,
  type StubMessage,
  type StubUsage,
} from './wire';
