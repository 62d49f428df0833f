import type { RouterInputs, RouterOutputs } from '@atrium/api';

/**
 * The user page's settings forms (limits, permissions, unlocks) read back into what the API
 * takes. Parsing here, with per-field errors, lets the page point at the exact cell that is wrong.
 */

type Limits = RouterInputs['users']['setLimits']['limits'];
type Permissions = RouterInputs['users']['setPermissions']['permissions'];
type Unlocks = RouterInputs['users']['setUnlocks']['unlocks'];
export type AdminUser = RouterOutputs['users']['get'];
export type PermissionKey = keyof Permissions;

/** The permissions an admin can set, in the order the page shows them. */
export const PERMISSIONS = ['uploadDocuments', 'uploadImages', 'useCustomStyles', 'exportData', 'createApiKeys', 'seeAnswerUsage'] as const satisfies readonly PermissionKey[];
// Fails to compile when the API gains a permission this list does not show.
const _allPermissionsShown: Exclude<PermissionKey, (typeof PERMISSIONS)[number]> extends never ? true : false = true;
void _allPermissionsShown;

export const limitField = (kind: 'daily' | 'monthly', modelId: string) => `${kind}:${modelId}`;

const MAX = { daily: 1_000_000, monthly: 10_000_000_000 };

/** Per model: empty means "the role's limit" (left out); otherwise a whole number from 0. */
export function parseLimits(form: FormData, modelIds: string[], existing: Limits) {
  const errors: Record<string, 'invalid'> = {};
  // Overrides for models no longer in the catalogue are kept as they were.
  const limits: Limits = Object.fromEntries(Object.entries(existing).filter(([id]) => !modelIds.includes(id)));
  for (const modelId of modelIds) {
    const override: { dailyRequestLimit?: number; monthlyTokenLimit?: number } = {};
    for (const [kind, key] of [
      ['daily', 'dailyRequestLimit'],
      ['monthly', 'monthlyTokenLimit'],
    ] as const) {
      const name = limitField(kind, modelId);
      const text = String(form.get(name) ?? '').trim().replace(/[\s_]/g, '');
      if (text === '') continue;
      const value = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value > MAX[kind]) errors[name] = 'invalid';
      else override[key] = value;
    }
    if (Object.keys(override).length) limits[modelId] = override;
  }
  return { limits, errors };
}

export const permissionField = (key: PermissionKey) => `permission:${key}`;

/** Every shown permission is saved explicitly: ticked grants it, unticked withholds it. */
export function parsePermissions(form: FormData): Permissions {
  return Object.fromEntries(PERMISSIONS.map((key) => [key, form.get(permissionField(key)) === 'on'])) as Permissions;
}

export const UNLOCK_KEY = /^[\w.-]{1,64}$/;

/**
 * The unlock list: the keys already there (`unlockKeys`, each with an "on" and a "remove" box)
 * and one new key with its own "on" box.
 */
export function parseUnlocks(form: FormData) {
  const unlocks: Unlocks = {};
  for (const key of form.getAll('unlockKeys').map(String)) {
    if (!UNLOCK_KEY.test(key) || form.get(`unlockRemove:${key}`) === 'on') continue;
    unlocks[key] = form.get(`unlockOn:${key}`) === 'on';
  }
  const newKey = String(form.get('newUnlockKey') ?? '').trim();
  if (newKey && !UNLOCK_KEY.test(newKey)) return { unlocks, error: 'invalid' as const };
  if (newKey) unlocks[newKey] = form.get('newUnlockOn') === 'on';
  return { unlocks, error: null };
}
