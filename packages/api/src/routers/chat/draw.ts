import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { generateImages, type AnswerResult, type AnswerStream, type GeneratedImage, type GenerateImagesOptions, type ImageAnswerResult } from '@atrium/ai';
import type { FileStore } from '../../files';
import { storageKeyOf } from '../attachments/attachments.service';
import { sharp } from '../attachments/images';

/** A picture answer in the shape of a text answer: no text deltas, a result once the picture is ready. */
export type DrawingStream = AnswerStream & { drawing: Promise<ImageAnswerResult> };

/**
 * Asks the model for a picture of the student's words. The text stream stays open, silent, until
 * the picture is ready, so the turn keeps its lease alive while the model draws.
 * Throws ProviderError at once when the provider cannot be called.
 */
export function drawAnswer(options: GenerateImagesOptions): DrawingStream {
  const drawing = generateImages(options);
  const result = drawing.then(
    (drawn): AnswerResult => ({
      text: '',
      finishReason: drawn.aborted ? 'aborted' : drawn.error ? (drawn.error.kind === 'timeout' ? 'timeout' : 'error') : 'stop',
      aborted: drawn.aborted,
      usage: drawn.usage,
      latencyMs: drawn.latencyMs,
      firstTokenMs: null,
      ...(drawn.error ? { error: drawn.error } : {}),
    }),
  );
  const textStream: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({ next: async () => (await drawing, { value: undefined, done: true as const }) }),
  };
  return { textStream, result, drawing };
}

export type StoredPicture = { id: string; storageKey: string; mimeType: string; size: number; width: number; height: number };

/** Pictures larger than this are scaled down before they are kept (a provider's 4K image is no chat picture). */
const MAX_SIDE = 2048;
const KEEP_FORMAT: Record<string, 'png' | 'jpeg' | 'webp'> = { png: 'png', jpeg: 'jpeg', webp: 'webp' };

/**
 * Keeps the model's pictures in the user's files, as uploads are kept: decoded and re-encoded by
 * sharp (so what is served is a real PNG, JPEG or WebP whatever the provider sent, with no
 * metadata), under the user's key prefix so erasure finds them. On failure nothing stays stored.
 */
export async function storePictures(files: FileStore, userId: string, images: readonly GeneratedImage[]): Promise<StoredPicture[]> {
  const stored: StoredPicture[] = [];
  try {
    for (const image of images) {
      const decoded = sharp(image.data, { failOn: 'error', limitInputPixels: 100_000_000 });
      const format = KEEP_FORMAT[(await decoded.metadata()).format ?? ''] ?? 'png';
      const { data, info } = await decoded
        .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .toFormat(format)
        .toBuffer({ resolveWithObject: true });
      const id = randomUUID();
      const storageKey = storageKeyOf(userId, id);
      const mimeType = `image/${format}`;
      const { size } = await files.put(storageKey, Readable.from([data]), { contentType: mimeType });
      stored.push({ id, storageKey, mimeType, size, width: info.width, height: info.height });
    }
    return stored;
  } catch (error) {
    await Promise.all(stored.map((picture) => files.delete(picture.storageKey).catch(() => undefined)));
    throw error;
  }
}
