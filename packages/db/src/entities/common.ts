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

export const PROVIDERS = ['groq', 'openai', 'local', 'demo'] as const;
export type Provider = (typeof PROVIDERS)[number];
