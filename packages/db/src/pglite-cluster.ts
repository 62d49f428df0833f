import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Creates the PGlite cluster in `dataDir` from a short-lived node process of its own when the
 * directory has none yet (PGlite's own test: no `PG_VERSION`), so the server then opens an
 * existing cluster.
 *
 * Why another process: PGlite runs initdb in the process that opens an empty directory, through a
 * second PGlite in memory, the initdb module and a tar of the new cluster. V8 frees that (at its
 * next full collection), but malloc keeps its arena: a server's first start on an empty directory
 * stayed ~50 MiB above the same server reopening the cluster, for as long as it ran, with up to
 * a few hundred MiB more until that collection (docs/performance.md, "PGlite's first start").
 * The child runs the same PGlite with the same start parameters; its flags: `--liftoff-only`,
 * which compiles PostgreSQL faster for a run this short. Its failure is the caller's.
 */
export async function createPgliteCluster(dataDir: string, startParams: readonly string[]): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  // Run from PGlite's own package folder, so the child's `import('@electric-sql/pglite')` finds the
  // very package this one loads (its ES module build, as here).
  const pglitePackage = dirname(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')));
  try {
    await promisify(execFile)(process.execPath, ['--liftoff-only', '--input-type=module', '-e', CREATE_CLUSTER, dataDir, JSON.stringify(startParams)], {
      cwd: pglitePackage,
    });
  } catch (error) {
    // The child's last words (its error), not its whole stderr: PGlite prints its minified source line first.
    const said = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').filter((line) => /^\w*Error\b/.test(line));
    throw new Error(`Creating the PGlite cluster in ${dataDir} failed: ${said.at(-1) ?? String(error)}`, { cause: error });
  }
  return true;
}

/** The child's program: `node -e CREATE_CLUSTER <dataDir> <start parameters as JSON>`. */
const CREATE_CLUSTER = `
const [dataDir, startParams] = process.argv.slice(1);
// A path that cannot be a directory fails here, before PostgreSQL is loaded and compiled.
const { mkdirSync } = await import('node:fs');
mkdirSync(dataDir, { recursive: true });
const { PGlite } = await import('@electric-sql/pglite');
const pglite = await PGlite.create({ dataDir, startParams: JSON.parse(startParams) });
await pglite.close();
`;
