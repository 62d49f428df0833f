import { vitePlugin as remix } from '@remix-run/dev';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

declare module '@remix-run/node' {
  // Single fetch changes what loaders may return; this makes useLoaderData's types follow.
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    tailwindcss(),
    remix({
      // The web app's browser tests build this app into a folder of their own
      // (tooling/vitest/build-admin-app.ts): its own browser tests may be rebuilding build/ then.
      buildDirectory: process.env.REMIX_BUILD_DIRECTORY ?? 'build',
      // Every v3 flag, so the later move to React Router 7 is a codemod.
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
        // Scan the routes for browser dependencies before the first page load; otherwise Vite
        // finds them late and reloads the page mid-hydration (what React Router 7 does by default).
        unstable_optimizeDeps: true,
      },
    }),
  ],
});
