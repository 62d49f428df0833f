export { createApiRuntime, seedAndReport, type ApiRuntime, type ApiRuntimeOptions } from './runtime';
export { createLoadContext, createRequestContext, createTrpcMiddleware, isCrossSiteRequest, SESSION_COOKIE, type AtriumLoadContext } from './http';
export { createFilesRouter } from './files';
export { createSsoRouter, localPath, publicBaseUrl, type SsoApp } from './sso';
export { defineJob, JobRunner, type JobDefinition, type JobContext } from '../jobs/runner';
export { jobCatalog } from '../jobs/catalog';
export { createOpenAiRouter } from '../openai';
