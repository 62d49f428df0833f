import { switchLanguage } from '@atrium/ui';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';

/** The language switcher's form target when JavaScript is off. */
export const action = ({ request }: ActionFunctionArgs) => switchLanguage(request);

export const loader = () => redirect('/');
