import type { RouterInputs } from '@atrium/api';

export type Role = RouterInputs['users']['setRole']['role'];
/** The roles an account can have, in the order pages list them. */
export const ROLES = ['student', 'staff', 'admin'] as const satisfies readonly Role[];
// Fails to compile when the API gains a role this list does not show.
const _allRolesListed: Exclude<Role, (typeof ROLES)[number]> extends never ? true : false = true;
void _allRolesListed;

export const PAGE_SIZE = 25;

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/**
 * The users page's query string (`q`, `role`, `status`, `page`) as a `users.search` input.
 * Anything unknown is ignored rather than refused: a hand-edited URL still shows a page.
 */
export function usersQuery(params: URLSearchParams) {
  const query = params.get('q')?.trim().slice(0, 200) || undefined;
  const role = params.get('role');
  const status = params.get('status');
  const page = Math.min(Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1), 10_000);
  return {
    page,
    input: {
      query,
      role: isRole(role) ? role : undefined,
      banned: status === 'banned' ? true : status === 'active' ? false : undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    },
  };
}
