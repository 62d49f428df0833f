/**
 * Vitest global set-up: builds the migrated PGlite image the tests start their databases from
 * (`@atrium/db/testing`) once, before any test file runs. On a fresh clone building it means
 * migrating an empty PGlite in WASM, which on a busy machine can outlast a set-up hook's time limit;
 * here no hook is waiting. Later files (and packages) read the cached image.
 */
import { migratedPgliteTarget } from '@atrium/db/testing';

export default async function buildMigratedPgliteImage() {
  await migratedPgliteTarget();
}
