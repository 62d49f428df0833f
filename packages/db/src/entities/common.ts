import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

/** Properties most tables share: a random uuid key and creation time. */
export const uuidPrimaryKey = () => p.uuid().primary().onCreate(() => randomUUID());
export const createdAt = () => p.datetime().onCreate(() => new Date());
export const updatedAt = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date());

export const ROLES = ['student', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A JSON object column. The object default is made per entity in JavaScript (`onCreate`) and is
 * `'{}'` in the table; a string default (`default('{}')`) would be stored as the JSON string "{}".
 */
export const jsonObject = <T extends object>() =>
  p
    .json<T>()
    .defaultRaw(`'{}'`)
    .onCreate(() => ({}) as T);

export const PROVIDERS = ['groq', 'openai', 'local', 'demo'] as const;
export type Provider = (typeof PROVIDERS)[number];
