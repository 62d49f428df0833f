/**
 * Compiles an app's server.ts, and the workspace packages it imports, to plain JavaScript in
 * build/node/server.js, so production runs Node on JavaScript with no transpiler at start.
 * Libraries under node_modules stay external: Node loads them as they are. Run from an app
 * folder (`npm run build` does): `node ../../tooling/build-server.mjs`. The benchmarks compile
 * their server process with it too (`node tooling/build-server.mjs ENTRY OUT_DIR`, from the
 * package's folder, into OUT_DIR/<entry's name>.js), so they measure the code production runs.
 */
import { builtinModules } from 'node:module';
import { basename } from 'node:path';
import { argv } from 'node:process';
import { build } from 'vite';

const [entry = 'server.ts', outDir = 'build/node'] = argv.slice(2);
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: entry,
    outDir,
    emptyOutDir: true,
    target: 'node24',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      output: { entryFileNames: basename(entry).replace(/\.ts$/, '.js'), format: 'es' },
      // Our own packages (@atrium/*, relative files) are compiled in; every library stays a runtime import.
      external: (id) => builtins.has(id) || (!id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@atrium/') && !id.startsWith('\0')),
    },
  },
  ssr: { noExternal: [/^@atrium\//] },
});
