export { createApiRuntime, seedAndReport, type ApiRuntime, type ApiRuntimeOptions } from './runtime';
export { createLoadContext, createRequestContext, createTrpcMiddleware, isCrossSiteRequest, SESSION_COOKIE, type AtriumLoadContext } from './http';
