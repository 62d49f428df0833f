import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vitePlugin as remix } from '@remix-run/dev';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig, type Plugin } from 'vite';

declare module '@remix-run/node' {
  // Single fetch changes what loaders may return; this makes useLoaderData's types follow.
  interface Future {
    v3_singleFetch: true;
  }
}

const STRINGS_CHUNKS = 'virtual:strings-chunks';

/**
 * `virtual:strings-chunks`: the URL of each strings chunk (app/i18n/groups/<group>.<lang>.ts, keyed
 * `<group>.<lang>`) in the browser build, so the server can preload the page's strings with the
 * page instead of after the entry has run. Read from the client build's manifest, which Remix writes before it builds
 * the server; empty in development, where Vite serves modules as they are.
 */
function stringsChunks(): Plugin {
  let manifestFile: string | null = null;
  return {
    name: 'atrium-strings-chunks',
    configResolved(config) {
      manifestFile =
        config.command === 'build' && config.build.ssr ? join(config.root, 'build/client/.vite/manifest.json') : null;
    },
    resolveId: (id) => (id === STRINGS_CHUNKS ? `\0${STRINGS_CHUNKS}` : undefined),
    load(id) {
      if (id !== `\0${STRINGS_CHUNKS}`) return undefined;
      const chunks: Record<string, string> = {};
      if (manifestFile) {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, { file: string }>;
        for (const [source, entry] of Object.entries(manifest)) {
          const name = /^app\/i18n\/groups\/(\w+\.\w+)\.ts$/.exec(source)?.[1];
          if (name) chunks[name] = `/${entry.file}`;
        }
        if (!chunks['core.en']) throw new Error('The browser build has no chunks for app/i18n/groups/*.ts');
      }
      return `export default ${JSON.stringify(chunks)};`;
    },
  };
}

/**
 * Packages whose modules only declare things: the bundler may drop what the app does not use
 * even where a module's top level looks like it does something. `@trpc/client` is one: its
 * WebSocket client sets a static field at the top of its module, which kept the whole client
 * (unused here: every link is HTTP) in the browser bundle.
 */
const SIDE_EFFECT_FREE = /\/node_modules\/@trpc\/client\//;

function sideEffectFree(): Plugin {
  return {
    name: 'atrium-side-effect-free',
    transform: (_code, id) => (SIDE_EFFECT_FREE.test(id) ? { moduleSideEffects: false } : undefined),
  };
}

/**
 * The browsers the web app's JavaScript is written for: what TanStack Query v5, already in every
 * page, requires (private class fields; docs/decisions/190-browser-target.md). Vite's default
 * reaches back a year further, and rewrote those classes (React Query's, tRPC's) into longer code
 * for browsers older than its libraries support.
 */
const browsers = ['chrome91', 'edge91', 'firefox90', 'safari15'];

export default defineConfig({
  build: { target: browsers },
  plugins: [
    stringsChunks(),
    sideEffectFree(),
    tailwindcss(),
    remix({
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
