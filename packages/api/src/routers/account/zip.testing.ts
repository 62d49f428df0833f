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
export async function readZip(stream: Readable): Promise<Map<string, Buffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    (yauzl as { fromBuffer: (b: Buffer, o: object, cb: (e: Error | null, z: ZipFile) => void) => void }).fromBuffer(
      Buffer.concat(chunks),
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
