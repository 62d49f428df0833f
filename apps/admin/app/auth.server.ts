/**
 * Who may open an admin page. Every admin loader and action starts with
 * `await requireAdmin(context, request)`: signed out goes to `/login` (and back afterwards), a
 * signed-in user who is not an administrator gets a 403. The procedures check the role again.
 */
export { getSignedInUser, requireAdmin } from '@atrium/ui/auth.server';
