import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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
  /** Tuning for tests; the default (`8 MiB` parts, 2 at a time) keeps an upload's memory near 16 MiB. */
  partBytes?: number;
};

/** Files in an S3-compatible bucket (AWS, MinIO, Ceph, ...), for deployments with large files. */
export class S3FileStore implements FileStore {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partBytes: number;

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
    this.client = new S3Client(clientConfig);
    this.bucket = config.bucket;
    this.partBytes = config.partBytes ?? 8 * 1024 * 1024;
  }

  async put(key: string, body: FileBody, options: { contentType?: string } = {}): Promise<{ size: number }> {
    let size = 0;
    // Count what passes through; lib-storage slices it into parts (a single PUT when small).
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          yield chunk;
        }
      })(),
    );
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counted, ...(options.contentType ? { ContentType: options.contentType } : {}) },
      partSize: this.partBytes,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return { size };
  }

  async get(key: string): Promise<Readable> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return false;
      }
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<StoredFile> {
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const item of page.Contents ?? []) {
        if (item.Key) yield { key: item.Key, size: item.Size ?? 0, createdAt: item.LastModified ?? new Date(0) };
      }
    }
  }

  async close() {
    this.client.destroy();
  }
}
