import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' }).optional(),
  ATRIUM_DATA_DIR: z.string().min(1).optional(),
  DB_DEBUG: z.stringbool().default(false),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(10),
  DATABASE_POOL_MIN: z.coerce.number().int().min(0).default(2),
}).refine((env) => env.DATABASE_POOL_MIN <= env.DATABASE_POOL_MAX, {
  message: 'DATABASE_POOL_MIN must not be larger than DATABASE_POOL_MAX',
  path: ['DATABASE_POOL_MIN'],
});

export type DbEnv = z.infer<typeof schema>;

export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid database environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Where the embedded PGlite cluster lives when no DATABASE_URL is set: `<repo>/.data/pglite`. */
export const defaultPgliteDir = (env: DbEnv) => (env.ATRIUM_DATA_DIR ? `${env.ATRIUM_DATA_DIR}/pglite` : join(workspaceRoot(), '.data', 'pglite'));

/**
 * The repository's root: the nearest folder above this module whose package.json declares the
 * workspaces. Searched, not counted, because this module also runs compiled into an app's build/.
 */
function workspaceRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}
