import { switchTheme } from '@atrium/ui';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';

/** The theme switcher's form target when JavaScript is off: this browser's cookie, and the account when signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { theme, response } = await switchTheme(request);
  if (theme && (await context.trpc.auth.me())) await context.trpc.account.saveLook({ theme });
  return response;
}

export const loader = () => redirect('/');
