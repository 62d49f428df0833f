import { z } from 'zod';

const MiB = 1024 * 1024;
const bytes = (fallbackMiB: number) => z.coerce.number().int().positive().default(fallbackMiB * MiB);

const schema = z
  .object({
    /** `postgres` (default): files in the database. `s3`: an S3-compatible bucket. */
    FILE_STORE: z.enum(['postgres', 's3']).default('postgres'),
    S3_ENDPOINT: z.url().optional(),
    S3_BUCKET: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: z.stringbool().default(false),
    S3_CHECKSUMS: z.enum(['when_supported', 'when_required']).default('when_supported'),
    /** Largest upload per kind, in bytes. */
    UPLOAD_MAX_DOCUMENT_BYTES: bytes(25),
    UPLOAD_MAX_IMAGE_BYTES: bytes(20),
    UPLOAD_MAX_TEXT_BYTES: bytes(5),
    /** Images are re-encoded no larger than this many pixels (longest side bound follows from it). */
    IMAGE_MAX_PIXELS: z.coerce.number().int().positive().default(16_000_000),
  })
  .refine((env) => env.FILE_STORE !== 's3' || env.S3_BUCKET, { message: 'S3_BUCKET is required when FILE_STORE=s3', path: ['S3_BUCKET'] });

export type FilesEnv = z.infer<typeof schema>;

export function readFilesEnv(source: NodeJS.ProcessEnv = process.env): FilesEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid file storage environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
