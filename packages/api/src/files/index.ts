import type { Orm } from '@atrium/db';
import type { FilesEnv } from './env';
import type { FileStore } from './file-store';
import { PostgresFileStore } from './postgres-store';
import { S3FileStore } from './s3-store';

export { readFilesEnv, type FilesEnv } from './env';
export { FileNotFoundError, type FileBody, type FileStore, type StoredFile } from './file-store';
export { PostgresFileStore } from './postgres-store';
export { S3FileStore, type S3StoreConfig } from './s3-store';

/** The store `FILE_STORE` names: PostgreSQL (default) or an S3-compatible bucket. */
export function createFileStore(orm: Orm, env: FilesEnv): FileStore {
  if (env.FILE_STORE === 'postgres') return new PostgresFileStore(orm);
  return new S3FileStore({
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION,
    ...(env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID } : {}),
    ...(env.S3_SECRET_ACCESS_KEY ? { secretAccessKey: env.S3_SECRET_ACCESS_KEY } : {}),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    checksums: env.S3_CHECKSUMS,
  });
}
