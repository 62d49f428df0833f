import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
// @ts-expect-error yauzl ships no types; the two calls used here are typed below.
import yauzl from 'yauzl';

type ZipEntry = { fileName: string };
type ZipFile = {
  readEntry(): void;
  on(event: 'entry', listener: (entry: ZipEntry) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  openReadStream(entry: ZipEntry, callback: (error: Error | null, stream: Readable) => void): void;
};

/** Reads a zip (test helper) into a map of entry name → bytes, with yauzl, a maintained reader. */
export async function readZip(source: Readable | Buffer): Promise<Map<string, Buffer>> {
  let bytes: Buffer;
  if (Buffer.isBuffer(source)) bytes = source;
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Buffer));
    bytes = Buffer.concat(chunks);
  }
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    (yauzl as { fromBuffer: (b: Buffer, o: object, cb: (e: Error | null, z: ZipFile) => void) => void }).fromBuffer(
      bytes,
      { lazyEntries: true },
      (error, file) => (error ? reject(error) : resolve(file)),
    ),
  );
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry) => {
      zip.openReadStream(entry, async (error, content) => {
        if (error) return reject(error);
        const parts: Buffer[] = [];
        for await (const part of content) parts.push(Buffer.from(part as Buffer));
        entries.set(entry.fileName, Buffer.concat(parts));
        zip.readEntry();
      });
    });
    zip.readEntry();
  });
  return entries;
}

/** Unpacks a zip into `directory` (entries that would land outside it are refused); returns the entry names. */
export async function unzipTo(source: Readable | Buffer, directory: string): Promise<string[]> {
  const root = resolve(directory);
  const entries = await readZip(source);
  for (const [name, content] of entries) {
    const path = resolve(join(root, name));
    if (!path.startsWith(root + sep)) throw new Error(`Zip entry outside the target: ${name}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return [...entries.keys()];
}
