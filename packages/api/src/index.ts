import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter, createCaller } from './root';

export { appRouter, createCaller, type AppRouter } from './root';
export { createContextInner, type Context } from './context';
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AtriumCaller = ReturnType<typeof createCaller>;
