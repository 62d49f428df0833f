/**
 * Who may open a page. Every signed-in page's loader and action starts with
 * `await requireUser(context, request)`: signed out goes to `/login?redirectTo=<this page>`.
 * The procedures check again; this keeps pages from rendering half-way before they fail.
 */
export { getSignedInUser, loginPath, requireSignedOut, requireUser, safeRedirect } from '@atrium/ui/auth.server';

/** Where a signed-in visitor starts. */
export const HOME = '/chat';
