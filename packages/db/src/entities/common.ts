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
 * A JSON column with a default. The default is made per entity in JavaScript (`onCreate`) and is
 * the same JSON in the table; a string default (`default('{}')`) would be stored as the JSON
 * *string* "{}" instead of an object.
 */
export const jsonWithDefault = <T>(value: T) =>
  p
    .json<T>()
    .defaultRaw(`'${JSON.stringify(value).replaceAll("'", "''")}'`)
    .onCreate(() => structuredClone(value));

/** A JSON object column that starts empty. */
export const jsonObject = <T extends object>() => jsonWithDefault<T>({} as T);

export const PROVIDERS = ['groq', 'openai', 'local', 'demo'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * Servers cache what every chat turn reads from this table; any write to it, by any path,
 * notifies `atrium_platform` with the table's name when its transaction commits, so every
 * replica drops its copy (see src/watch.ts).
 */
export const notifyPlatformChange = () => ({
  name: 'notify_platform_change',
  timing: 'after' as const,
  events: ['insert' as const, 'update' as const, 'delete' as const],
  forEach: 'statement' as const,
  body: "perform pg_notify('atrium_platform', tg_table_name); return null;",
});

/**
 * Servers cache each signed-in session and each presented API key with its user (the request's
 * first statement otherwise); a change to one row notifies `atrium_platform` with
 * `s:<session id>`, `k:<API key id>` or `u:<user id>` when its transaction commits, so every
 * replica drops that entry (see src/watch.ts).
 */
export const notifyRowChange = (prefix: 's' | 'k' | 'u') => ({
  timing: 'after' as const,
  forEach: 'row' as const,
  body: `perform pg_notify('atrium_platform', '${prefix}:' || old.id); return null;`,
});
