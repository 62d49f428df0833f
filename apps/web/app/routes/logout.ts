import { redirect, redirectDocument, type ActionFunctionArgs } from '@remix-run/node';

/**
 * The header menu's "Sign out" form posts here; the procedure ends the session and clears the
 * cookie. A session an OpenID provider made goes on to end the provider's session too (a full
 * page load: the next stop is another site).
 */
export async function action({ context }: ActionFunctionArgs) {
  const { providerLogout } = await context.trpc.auth.signOut();
  return providerLogout ? redirectDocument(providerLogout) : redirect('/');
}

export const loader = () => redirect('/');
