export { createApiRuntime, seedAndReport, type ApiRuntime, type ApiRuntimeOptions } from './runtime';
export { createLoadContext, createRequestContext, createTrpcMiddleware, SESSION_COOKIE, type AtriumLoadContext } from './http';
export { createSsoRouter, localPath, publicBaseUrl, type SsoApp } from './sso';
