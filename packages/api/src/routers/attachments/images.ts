import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { default as SharpFunction, OutputInfo, Sharp } from 'sharp';

/**
 * sharp (libvips, ~8 MiB of RSS) is loaded the first time an image is processed, not at start:
 * a server that never sees a picture does not carry it. `require`, so the functions stay synchronous.
 */
let loaded: typeof SharpFunction | undefined;
export const sharp = ((...args: Parameters<typeof SharpFunction>) =>
  (loaded ??= createRequire(import.meta.url)('sharp') as typeof SharpFunction)(...args)) as typeof SharpFunction;

/** Pictures larger than this many pixels are refused before decoding (decompression bombs). */
const MAX_INPUT_PIXELS = 100_000_000;
export const THUMBNAIL_SIDE = 320;

const OUTPUT: Record<string, { mime: string; apply(image: Sharp): Sharp }> = {
  'image/jpeg': { mime: 'image/jpeg', apply: (image) => image.jpeg({ quality: 85 }) },
  'image/png': { mime: 'image/png', apply: (image) => image.png() },
  'image/webp': { mime: 'image/webp', apply: (image) => image.webp({ quality: 85 }) },
  // Animated GIFs keep their first frame, as a PNG.
  'image/gif': { mime: 'image/png', apply: (image) => image.png() },
};

/**
 * Decodes and re-encodes an uploaded image: EXIF (camera, GPS location) and every other metadata
 * block are dropped (sharp keeps none unless asked), the EXIF orientation is applied to the
 * pixels first, and the picture is scaled down to at most `maxPixels` (a square bound, so any
 * aspect ratio fits). Streams in and out; `info` resolves with the encoded size.
 */
export function reencodeImage(input: Readable, sniffedMime: string, maxPixels: number) {
  const output = OUTPUT[sniffedMime] ?? OUTPUT['image/png']!;
  const side = Math.floor(Math.sqrt(maxPixels));
  const pipeline = output.apply(
    sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }),
  );
  const info = new Promise<OutputInfo>((resolve, reject) => {
    pipeline.once('info', resolve);
    pipeline.once('error', reject);
  });
  input.once('error', (error) => pipeline.destroy(error));
  return { stream: input.pipe(pipeline), mimeType: output.mime, info };
}

/** A small WebP of a stored image for the chat. */
export function thumbnail(input: Readable) {
  const pipeline = sharp({ failOn: 'none' })
    .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 });
  input.once('error', (error) => pipeline.destroy(error));
  return input.pipe(pipeline);
}
