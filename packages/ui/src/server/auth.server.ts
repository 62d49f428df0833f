/**
 * Who may see a page, decided in loaders and actions before anything renders. Both apps use the
 * same rules: signed out goes to `/login` (and back afterwards), a signed-in user without the
 * needed role gets a 403. The procedures check again; these keep pages from failing half-way.
 * Server-only (`.server`): Remix refuses to bundle it for the browser.
 */
import type { AtriumLoadContext } from '@atrium/api/server';

type LoadContext = { trpc: AtriumLoadContext['trpc'] };
export type SignedInUser = NonNullable<Awaited<ReturnType<LoadContext['trpc']['auth']['me']>>>;

/** Why the sign-in page was opened, so it can say so. */
export type SignInReason = 'signed-out' | 'expired';

// Pages a sign-in must never return to: they would bounce straight back or sign out again.
const AUTH_PAGES = new Set(['/login', '/logout', '/register']);

/**
 * `target` when it is a path on this site, else `fallback`. Refuses what browsers would read as
 * another host (`//evil`, `/\evil`, `/<tab>/evil`: they drop tabs and newlines and treat `\` as
 * `/`) and the sign-in pages themselves.
 */
export function safeRedirect(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length > 2048) return fallback;
  if (!target.startsWith('/') || target.startsWith('//')) return fallback;
  // Control characters, spaces and backslashes have no business in a path we redirect to.
  if ([...target].some((char) => char <= ' ' || char === '\u007f' || char === '\\')) return fallback;
  let url: URL;
  try {
    url = new URL(target, 'http://atrium.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://atrium.invalid') return fallback;
  if (AUTH_PAGES.has(url.pathname.replace(/\/+$/, '') || '/')) return fallback;
  return url.pathname + url.search + url.hash;
}

/** `/login?redirectTo=<the page asked for>`, plus why, when there is a reason to show. */
export function loginPath(request: Request, reason?: SignInReason): string {
  const url = new URL(request.url);
  const params = new URLSearchParams();
  const back = safeRedirect(url.pathname + url.search, '');
  if (back && back !== '/') params.set('redirectTo', back);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

const redirectResponse = (location: string) => new Response(null, { status: 302, headers: { Location: location } });

/** The signed-in user, or null (signed out, session ended, or suspended). */
export function getSignedInUser(context: LoadContext): Promise<SignedInUser | null> {
  return context.trpc.auth.me();
}

/** The signed-in user; otherwise throws a redirect to sign-in that comes back to this page. */
export async function requireUser(context: LoadContext, request: Request): Promise<SignedInUser> {
  const user = await getSignedInUser(context);
  if (!user) throw redirectResponse(loginPath(request));
  return user;
}

const forbidden = () => new Response('Administrators only.', { status: 403, statusText: 'Forbidden' });

/**
 * An administrator; signed out is sent to sign-in, anyone else gets a 403. The admin rights are
 * confirmed the way admin procedures confirm them (a directory admin's groups are asked again
 * when the last check is old), so rights lost in the directory end here, not half-way through a
 * page: removed from the admin group → 403; out of the directory → sign-in; directory down → 503.
 */
export async function requireAdmin(context: LoadContext, request: Request): Promise<SignedInUser> {
  const user = await requireUser(context, request);
  if (user.role !== 'admin') throw forbidden();
  try {
    return await context.trpc.auth.confirmAdmin();
  } catch (error) {
    const code = error instanceof Error && error.name === 'TRPCError' ? (error as Error & { code: string }).code : null;
    if (code === 'UNAUTHORIZED') throw redirectResponse(loginPath(request, 'signed-out'));
    if (code === 'FORBIDDEN') throw forbidden();
    if (code === 'SERVICE_UNAVAILABLE') throw new Response((error as Error).message, { status: 503, statusText: 'Service Unavailable' });
    throw error;
  }
}

/**
 * For the sign-in and registration pages: someone already signed in (and, with `accept`, fit for
 * this app) goes on to where they were headed (`redirectTo`), or to `home`.
 */
export async function requireSignedOut(
  context: LoadContext,
  request: Request,
  home: string,
  accept: (user: SignedInUser) => boolean = () => true,
): Promise<void> {
  const user = await getSignedInUser(context);
  if (user && accept(user)) throw redirectResponse(safeRedirect(new URL(request.url).searchParams.get('redirectTo'), home));
}
