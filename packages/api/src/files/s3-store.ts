import type { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { FileNotFoundError, type FileBody, type FileStore, type StoredFile } from './file-store';

export type S3StoreConfig = {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`: MinIO, Ceph and older servers need it. */
  forcePathStyle: boolean;
  /**
   * `when_required` turns off the SDK's newer default of sending and checking CRC checksums on
   * every request, which older S3-compatible servers reject.
   */
  checksums: 'when_supported' | 'when_required';
  /** The size of a multipart upload's parts (S3's minimum, 5 MiB, by default: the smaller, the less memory an upload holds). */
  partBytes?: number;
};

/** S3 refuses parts smaller than this, except the last. */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;
/** Part buffers kept for the next uploads; more concurrent uploads than this allocate (and drop) their own. */
const IDLE_PART_BUFFERS = 4;

type Sdk = typeof S3Sdk;
let sdkModule: Promise<Sdk> | undefined;
/**
 * The AWS SDK is loaded on the first request, not at start: `createFileStore` is imported by
 * every server, and installs on the PostgreSQL store (the default) never need the SDK's modules
 * (~18 MiB of RSS in a bare node, docs/performance.md).
 */
const loadSdk = () => (sdkModule ??= import('@aws-sdk/client-s3'));

/** Files in an S3-compatible bucket (AWS, MinIO, Ceph, ...), for deployments with large files. */
export class S3FileStore implements FileStore {
  readonly driver = 's3' as const;
  private readonly clientConfig: S3ClientConfig;
  private connected: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  private readonly bucket: string;
  private readonly partBytes: number;
  private readonly idleParts: Buffer[] = [];

  constructor(config: S3StoreConfig) {
    const checksum = config.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    const clientConfig: S3ClientConfig = {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      requestChecksumCalculation: checksum,
      responseChecksumValidation: checksum,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    };
    this.clientConfig = clientConfig;
    this.bucket = config.bucket;
    this.partBytes = Math.max(config.partBytes ?? S3_MIN_PART_BYTES, S3_MIN_PART_BYTES);
  }

  /**
   * Copies the body into a part buffer and sends each full part with its length known, while
   * the next part fills a second buffer: an upload holds two parts (10 MiB) however large the
   * file, and the buffers are the store's, reused by the next upload, so a large file leaves no
   * garbage of its size behind (lib-storage's `Upload` gathered every part into a new Buffer, a
   * second copy of every byte for V8 to collect, and held up to three 8 MiB parts). Reading
   * waits while both buffers are taken, which holds the client back. A file that fits one part
   * is one PutObject; a failed body or part aborts the multipart upload, leaving nothing.
   */
  async put(key: string, body: FileBody, options: { contentType?: string } = {}): Promise<{ size: number }> {
    const object = { Bucket: this.bucket, Key: key, ...(options.contentType ? { ContentType: options.contentType } : {}) };
    const { sdk, client } = await this.connect();
    const { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } = sdk;
    const buffers = [this.takePart(), this.takePart()];
    let current = buffers[0]!;
    let filled = 0;
    let size = 0;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    // The part being sent, from the buffer not being filled.
    let sending: Promise<void> = Promise.resolve();
    const send = async (part: Buffer) => {
      const PartNumber = parts.push({ PartNumber: parts.length + 1 });
      const { ETag } = await client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber, Body: part, ContentLength: part.length }));
      parts[PartNumber - 1]!.ETag = ETag;
    };
    try {
      for await (const piece of body as AsyncIterable<Uint8Array>) {
        size += piece.byteLength;
        for (let offset = 0; offset < piece.byteLength; ) {
          if (filled === current.length) {
            // A full part and more bytes to come: once the other buffer's part is sent, send this one and fill the other.
            uploadId ??= (await client.send(new CreateMultipartUploadCommand(object))).UploadId!;
            await sending;
            sending = send(current);
            // Marked as handled here; its rejection is still thrown where `sending` is awaited.
            sending.catch(() => undefined);
            current = current === buffers[0] ? buffers[1]! : buffers[0]!;
            filled = 0;
          }
          const take = Math.min(current.length - filled, piece.byteLength - offset);
          current.set(piece.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
        }
      }
      if (uploadId === undefined) {
        await client.send(new PutObjectCommand({ ...object, Body: current.subarray(0, filled), ContentLength: filled }));
      } else {
        await sending;
        await send(current.subarray(0, filled));
        await client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
      }
    } catch (error) {
      await sending.catch(() => undefined);
      if (uploadId !== undefined) await client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    } finally {
      // Only once no request can still be reading them.
      await sending.catch(() => undefined);
      for (const buffer of buffers) this.giveBackPart(buffer);
    }
    return { size };
  }

  private takePart(): Buffer {
    // Not from Node's shared pool: a part buffer is kept and reused whole.
    return this.idleParts.pop() ?? Buffer.allocUnsafeSlow(this.partBytes);
  }

  private giveBackPart(buffer: Buffer) {
    if (this.idleParts.length < IDLE_PART_BUFFERS) this.idleParts.push(buffer);
  }

  /** The SDK and a client, made on the first request. */
  private connect() {
    return (this.connected ??= loadSdk().then((loaded) => ({ sdk: loaded, client: new loaded.S3Client(this.clientConfig) })));
  }

  async get(key: string): Promise<Readable> {
    const { sdk, client } = await this.connect();
    try {
      const response = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body as Readable;
    } catch (error) {
      if (error instanceof sdk.NoSuchKey || error instanceof sdk.NotFound) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof sdk.NotFound || error instanceof sdk.NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return false;
      }
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<StoredFile> {
    const { sdk, client } = await this.connect();
    for await (const page of sdk.paginateListObjectsV2({ client }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const item of page.Contents ?? []) {
        if (item.Key) yield { key: item.Key, size: item.Size ?? 0, createdAt: item.LastModified ?? new Date(0) };
      }
    }
  }

  async close() {
    // A store that never made a request has no client to destroy.
    (await this.connected)?.client.destroy();
  }
}
