import { redirect, type ActionFunctionArgs } from '@remix-run/node';

/** The header menu's "Sign out" form posts here; the procedure ends the session and clears the cookie. */
export async function action({ context }: ActionFunctionArgs) {
  await context.trpc.auth.signOut();
  return redirect('/');
}

export const loader = () => redirect('/');
