export { createOpenAiRouter } from './openai.http';
