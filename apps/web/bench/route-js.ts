/**
 * `npm run bench -w @atrium/web`: how much JavaScript a student's browser loads for a page,
 * read from the production build's Remix manifest (entry, every route module on the path and
 * their static imports; never the chunks loaded on demand) plus the page's strings (its groups,
 * `pageStringGroups`, in its language), which the browser loads before hydrating (English here;
 * Turkish totals are printed beside), gzip-compressed as the server sends it. Writes bench/results/route-js.json. Budget
 * for the chat's pages, in both languages: ≤ 150 KiB gzip; over it, the run fails.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pageStringGroups } from '../app/i18n/groups';

type Manifest = {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[] }>;
};

const appDir = fileURLToPath(new URL('..', import.meta.url));
const assets = join(appDir, 'build', 'client', 'assets');
const manifestFile = readdirSync(assets).find((name) => /^manifest-.*\.js$/.test(name));
if (!manifestFile) throw new Error('No production build: run `npm run build -w @atrium/web` first.');
const manifest = JSON.parse(
  readFileSync(join(assets, manifestFile), 'utf8')
    .replace(/^window\.__remixManifest=/, '')
    .replace(/;$/, ''),
) as Manifest;

/** The chat's budget, in both languages: the run fails (exit code 1) when a chat page is over it. */
const CHAT_BUDGET_KIB = 150;

const pages: Record<string, { path: string; routes: string[]; chat?: true }> = {
  'new chat (/chat)': { path: '/chat', routes: ['root', 'routes/chat', 'routes/chat._index'], chat: true },
  'a conversation (/chat/:id)': { path: '/chat/x', routes: ['root', 'routes/chat', 'routes/chat.$id'], chat: true },
  'sign-in (/login)': { path: '/login', routes: ['root', 'routes/login'] },
  'my usage (/account/usage)': { path: '/account/usage', routes: ['root', 'routes/account', 'routes/account.usage'] },
};

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipKib = (file: string) =>
  kib(gzipSync(readFileSync(join(appDir, 'build', 'client', file)), { level: 9 }).length);

/** Each strings chunk (app/i18n/groups/<group>.<lang>.ts), found where the app imports it on demand. */
const stringsChunks = (files: Set<string>) => {
  const found: Record<string, string> = {};
  for (const file of files) {
    const code = readFileSync(join(appDir, 'build', 'client', file), 'utf8');
    for (const [, name, key] of code.matchAll(/import\("\.\/((\w+\.(?:en|tr))-[\w-]+\.js)"\)/g))
      found[key!] = `/assets/${name}`;
  }
  return (group: string, lang: 'en' | 'tr') => {
    const chunk = found[`${group}.${lang}`];
    if (!chunk) throw new Error(`The build has no strings chunk for app/i18n/groups/${group}.${lang}.ts`);
    return chunk;
  };
};

const results = Object.entries(pages).map(([page, { path, routes: routeIds, chat }]) => {
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (const id of routeIds) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`The build has no route ${id}`);
    for (const file of [route.module, ...(route.imports ?? [])]) files.add(file);
  }
  const chunkOf = stringsChunks(files);
  const groups = pageStringGroups(path);
  const english = groups.map((group) => chunkOf(group, 'en'));
  const turkish = groups.map((group) => chunkOf(group, 'tr'));
  for (const chunk of english) files.add(chunk);
  const sizes = [...files].map((file) => {
    const bytes = readFileSync(join(appDir, 'build', 'client', file));
    return { file, kib: kib(bytes.length), gzipKib: kib(gzipSync(bytes, { level: 9 }).length) };
  });
  sizes.sort((a, b) => b.gzipKib - a.gzipKib);
  const total = kib(sizes.reduce((sum, size) => sum + size.gzipKib * 1024, 0));
  const sum = (chunks: string[]) => chunks.reduce((kibs, chunk) => kibs + gzipKib(chunk), 0);
  return {
    page,
    chat: chat === true,
    gzipKib: total,
    turkishGzipKib: kib((total - sum(english) + sum(turkish)) * 1024),
    kib: kib(sizes.reduce((sum, size) => sum + size.kib * 1024, 0)),
    files: sizes,
  };
});

for (const result of results) {
  console.log(
    `${result.page}: ${result.gzipKib} KiB gzip (${result.kib} KiB) in ${result.files.length} files; in Turkish ${result.turkishGzipKib} KiB gzip`,
  );
  for (const file of result.files.slice(0, 6)) console.log(`  ${String(file.gzipKib).padStart(7)} KiB  ${file.file}`);
}
mkdirSync(join(appDir, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(appDir, 'bench', 'results', 'route-js.json'),
  JSON.stringify({ date: new Date().toISOString(), targetGzipKib: { chat: CHAT_BUDGET_KIB }, results }, null, 2),
);
const over = results.filter((result) => result.chat && Math.max(result.gzipKib, result.turkishGzipKib) > CHAT_BUDGET_KIB);
for (const result of over)
  console.error(`Over the chat's budget of ${CHAT_BUDGET_KIB} KiB gzip: ${result.page} (${result.gzipKib} / ${result.turkishGzipKib} in Turkish)`);
if (over.length > 0) process.exitCode = 1;
