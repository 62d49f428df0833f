import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, jsonObject, notifyRowChange, ROLES, updatedAt, uuidPrimaryKey } from './common';
import { Preset } from './Preset';

/** Where the account was first made; how it signs in now is in its identities. */
export const AUTH_SOURCES = ['local', 'ldap', 'oidc', 'saml'] as const;
export type AuthSource = (typeof AUTH_SOURCES)[number];

/**
 * Who decides a user's role: the directory (LDAP groups, single sign-on claims), re-applied at
 * every sign-in and group re-check, or an administrator, whose choice then sticks. Local accounts
 * are always `administrator`.
 */
export const ROLE_SOURCES = ['directory', 'administrator'] as const;
export type RoleSource = (typeof ROLE_SOURCES)[number];

/** Shapes of the per-user JSON columns; validated by zod in the services that write them. */
export type UserLimits = Record<string, { dailyRequestLimit?: number | null; monthlyTokenLimit?: number | null }>;
export type UserPermissions = Record<string, boolean>;
export type UserUnlocks = Record<string, boolean>;

/** How the apps look: `system` follows the device's light or dark setting. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  // Signed-in sessions are cached with their user: any change to the row reaches every replica.
  triggers: [{ name: 'notify_user_changed', events: ['update' as const, 'delete' as const], ...notifyRowChange('u') }],
  properties: {
    id: uuidPrimaryKey(),
    username: p.string().length(255).unique(),
    email: p.string().length(320).nullable().unique(),
    displayName: p.string().length(255),
    // Never serialized and never loaded unless asked for: only the password check needs it.
    passwordHash: p.text().nullable().hidden().lazy(),
    authSource: p.enum(AUTH_SOURCES).default('local'),
    ldapDn: p.string().length(1024).nullable(),
    role: p.enum(ROLES).default('student').index(),
    roleSource: p.enum(ROLE_SOURCES).default('administrator'),
    isBanned: p.boolean().default(false),
    // Shown to the user at sign-in; a ban with an end lifts by itself once the end has passed.
    banReason: p.text().nullable(),
    bannedUntil: p.datetime().nullable(),
    selectedModel: p.string().length(128).nullable(),
    activePreset: () => p.manyToOne(Preset).nullable().deleteRule('set null'),
    // Saved on the account so a new device opens as the student left the last one; null language
    // follows the browser (or the language cookie) until the student picks one.
    theme: p.enum(THEMES).default('system'),
    language: p.string().length(8).nullable(),
    unlocks: jsonObject<UserUnlocks>(),
    limits: jsonObject<UserLimits>(),
    permissions: jsonObject<UserPermissions>(),
    // Memories the assistant suggests are kept at once (and reach prompts) instead of waiting for a yes.
    memoryAutoKeep: p.boolean().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastLoginAt: p.datetime().nullable(),
    /** When the directory last confirmed this user's groups (sign-in or re-check); null for others. */
    directoryCheckedAt: p.datetime().nullable(),
  },
});
export type IUser = InferEntity<typeof User>;

/** Whether a user may see and use something gated by an unlock key (no key: everyone may). */
export const holdsUnlock = (user: Pick<IUser, 'unlocks'>, key: string | null | undefined) => !key || user.unlocks?.[key] === true;
