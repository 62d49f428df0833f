import { isLanguage, switchLanguage } from '@atrium/ui';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';

/** The language switcher's form target when JavaScript is off: this browser's cookie, and the account when signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const lang = (await request.clone().formData()).get('lang');
  const response = await switchLanguage(request);
  if (isLanguage(lang) && (await context.trpc.auth.me())) await context.trpc.account.saveLook({ language: lang });
  return response;
}

export const loader = () => redirect('/');
