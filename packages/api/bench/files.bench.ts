/**
 * Benchmark: the memory an upload and a download of one large file (50 MiB by default,
 * BENCH_FILE_MB to change) cost Atrium's server. The server runs in its own process, started as
 * in production, with `/api/files` and the store `FILE_STORE` names; it samples its RSS every
 * 10 ms. This process streams the file up as multipart (generated on the fly, never whole in
 * memory), then streams it back down, hashing both ways to prove the bytes round-trip.
 *
 * The figure that matters is the server's RSS growth over its settled baseline (after a warm-up
 * upload loaded every module): it must stay under 64 MiB, whatever the file's size, because both
 * directions stream. Not a timed test: the durations are reported, not judged.
 *
 * Runs the PostgreSQL store on PGlite (the embedded default: the database lives in the server's
 * own process, so its memory counts too), the S3 store (s3rver on loopback, in this process), and
 * the PostgreSQL store on a real PostgreSQL when TEST_DATABASE_URL is set. Writes
 * bench/results/files.json at the repository root; exits non-zero when a growth is over the limit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '@atrium/db';
import { createPostgresDatabase } from '@atrium/db/testing';
import { startS3Server } from '@atrium/testing/s3';
import { benchScript } from './children';
import { productionNodeFlags } from './production-flags';

const MiB = 1024 * 1024;
const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 50);
const LIMIT_MIB = 64;
const CHUNK = 64 * 1024;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Stats = { rss: number; peakRss: number; arrayBuffers: number; peakArrayBuffers: number; driver: string };
type Server = { url: string; call<T>(message: Record<string, unknown>): Promise<T>; close(): Promise<void> };

async function startServer(database: 'pglite' | 'postgresql', env: Record<string, string>): Promise<Server> {
  // The database and the store are the ones this run chose, never ones from the environment.
  const { DATABASE_URL: _db, FILE_STORE: _store, ...inherited } = process.env;
  const { modulePath, execArgv } = await benchScript('files.process.ts', [...productionNodeFlags(database), '--expose-gc']);
  const child: ChildProcess = fork(modulePath, [], {
    execArgv,
    env: { ...inherited, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let sequence = 0;
  const pending = new Map<number, (value: unknown) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`files.process.ts exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string; id?: number; error?: string }) => {
      if (message.ready) return resolve(message.url!);
      if (message.error) throw new Error(`files.process.ts: ${message.error}`);
      pending.get(message.id!)?.(message);
      pending.delete(message.id!);
    });
  });
  return {
    url,
    call: <T,>(message: Record<string, unknown>) =>
      new Promise<T>((resolve) => {
        const id = ++sequence;
        pending.set(id, resolve as (value: unknown) => void);
        child.send({ ...message, id });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'close', id: 0 });
      }),
  };
}

/** CSV rows, `bytes` long in all, made chunk by chunk while hashing: the file never exists whole. */
function csv(bytes: number, hash: ReturnType<typeof createHash>) {
  const row = 'week,lecture,room,students,notes about the session that make the row longer\n';
  const block = Buffer.from(row.repeat(Math.ceil(CHUNK / row.length))).subarray(0, CHUNK);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < bytes; sent += CHUNK) {
        const piece = block.subarray(0, Math.min(CHUNK, bytes - sent));
        hash.update(piece);
        yield piece;
      }
    })(),
  );
}

/** Streams a multipart upload of `bytes` bytes; resolves with the attachment id and the content's hash. */
async function upload(url: string, token: string, name: string, bytes: number) {
  const boundary = `atrium-bench-${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const hash = createHash('sha256');
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/api/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + bytes + tail.length),
      },
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (body += piece));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    const body = Readable.from(
      (async function* () {
        yield head;
        yield* csv(bytes, hash);
        yield tail;
      })(),
    );
    pipeline(body, req).catch(reject);
  });
  const { status, body } = await response;
  if (status !== 201) throw new Error(`upload answered ${status}: ${body}`);
  return { id: (JSON.parse(body) as { attachment: { id: string } }).attachment.id, sha256: hash.digest('hex') };
}

/** Streams a download, hashing it; nothing is kept. */
async function download(url: string, token: string, id: string) {
  const response = await fetch(`${url}/api/files/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200 || !response.body) throw new Error(`download answered ${response.status}`);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(piece);
    bytes += piece.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

async function measure(label: { database: 'pglite' | 'postgresql'; store: string }, env: Record<string, string>) {
  const server = await startServer(label.database, {
    ...env,
    // Room for the file under every kind's limit; the student's 100 MiB quota holds it.
    UPLOAD_MAX_TEXT_BYTES: String((FILE_MB + 8) * MiB),
    UPLOAD_MAX_DOCUMENT_BYTES: String((FILE_MB + 8) * MiB),
  });
  try {
    const { token } = await server.call<{ token: string }>({ type: 'user' });
    // Warm-up: the first upload and download load busboy, file-type, the store's client…
    const warm = await upload(server.url, token, 'warm-up.csv', 256 * 1024);
    await download(server.url, token, warm.id);

    const baseline = await server.call<Stats>({ type: 'stats', gc: true, resetPeak: true });
    const bytes = FILE_MB * MiB;
    let started = performance.now();
    const sent = await upload(server.url, token, 'lecture-data.csv', bytes);
    const uploadMs = performance.now() - started;
    const afterUpload = await server.call<Stats>({ type: 'stats', resetPeak: true });
    started = performance.now();
    const received = await download(server.url, token, sent.id);
    const downloadMs = performance.now() - started;
    const afterDownload = await server.call<Stats>({ type: 'stats' });

    const growth = { upload: mib(afterUpload.peakRss - baseline.rss), download: mib(afterDownload.peakRss - baseline.rss) };
    return {
      ...label,
      driver: baseline.driver,
      serverNodeFlags: productionNodeFlags(label.database),
      fileMiB: FILE_MB,
      roundTrip: received.bytes === bytes && received.sha256 === sent.sha256,
      baselineRssMiB: mib(baseline.rss),
      peakRssMiB: { upload: mib(afterUpload.peakRss), download: mib(afterDownload.peakRss) },
      rssGrowthMiB: growth,
      // Not judged: Buffers waiting for V8 to collect them. RSS shows them unless the allocator has free pages to spare.
      arrayBufferGrowthMiB: {
        upload: mib(afterUpload.peakArrayBuffers - baseline.arrayBuffers),
        download: mib(afterDownload.peakArrayBuffers - baseline.arrayBuffers),
      },
      limitMiB: LIMIT_MIB,
      withinLimit: Math.max(growth.upload, growth.download) < LIMIT_MIB,
      uploadMs: Math.round(uploadMs),
      downloadMs: Math.round(downloadMs),
    };
  } finally {
    await server.close();
  }
}

const results = [];
const pgliteDir = () => mkdtempSync(join(tmpdir(), 'atrium-files-bench-'));
const target = (dataDir: string): DatabaseTarget => ({ kind: 'pglite', dataDir });

{
  const dir = pgliteDir();
  try {
    results.push(await measure({ database: 'pglite', store: 'postgres' }, { BENCH_TARGET: JSON.stringify(target(dir)), FILE_STORE: 'postgres' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
{
  const dir = pgliteDir();
  const s3 = await startS3Server();
  try {
    results.push(await measure({ database: 'pglite', store: 's3 (s3rver)' }, { BENCH_TARGET: JSON.stringify(target(dir)), ...s3.env }));
  } finally {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (process.env.TEST_DATABASE_URL) {
  const pg = await createPostgresDatabase();
  try {
    results.push(await measure({ database: 'postgresql', store: 'postgres' }, { BENCH_TARGET: JSON.stringify(pg.target), FILE_STORE: 'postgres' }));
  } finally {
    await pg.drop();
  }
}
if (process.env.TEST_DATABASE_URL) {
  // Production's pairing: S3 files on a PostgreSQL server, whose process has no PGlite in it.
  const pg = await createPostgresDatabase();
  const s3 = await startS3Server();
  try {
    results.push(await measure({ database: 'postgresql', store: 's3 (s3rver)' }, { BENCH_TARGET: JSON.stringify(pg.target), ...s3.env }));
  } finally {
    await s3.stop();
    await pg.drop();
  }
}

const report = {
  benchmark: `upload and download of a ${FILE_MB} MiB file through /api/files: the server's RSS growth over its settled baseline`,
  results,
  node: process.version,
  at: new Date().toISOString(),
};
const outDir = join(repoRoot, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'files.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
if (results.some((result) => !result.withinLimit || !result.roundTrip)) process.exitCode = 1;
