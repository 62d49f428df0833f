import type { AtriumLoadContext } from '@atrium/api/server';

// What server.ts passes to every loader and action: `context.trpc` is the router, called
// in-process as the requesting user. Type-only: app code never imports the server runtime.
declare module '@remix-run/node' {
  interface AppLoadContext {
    trpc: AtriumLoadContext['trpc'];
    cspNonce: AtriumLoadContext['cspNonce'];
  }
}

export {};
