import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './common';

/**
 * A file kept by the PostgreSQL file store. The bytes live in `FileChunk` rows so neither an
 * upload nor a download ever holds the whole file; `complete` turns true only after the last
 * chunk is written, so a half-written file is never served (the sweep removes it).
 */
export const FileObject = defineEntity({
  name: 'FileObject',
  tableName: 'file_objects',
  properties: {
    key: p.string().length(512).primary(),
    size: p.bigint('number').default(0),
    contentType: p.string().length(255).nullable(),
    complete: p.boolean().default(false),
    createdAt: createdAt(),
  },
});
export type IFileObject = InferEntity<typeof FileObject>;

/** One slice of a stored file's bytes, in order of `seq`. */
export const FileChunk = defineEntity({
  name: 'FileChunk',
  tableName: 'file_chunks',
  primaryKeys: ['object', 'seq'],
  properties: {
    object: () => p.manyToOne(FileObject).deleteRule('cascade').primary(),
    seq: p.integer().primary(),
    data: p.blob(),
  },
});
export type IFileChunk = InferEntity<typeof FileChunk>;
