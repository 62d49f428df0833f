import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '../auth.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  return redirect('/account/sessions');
}
