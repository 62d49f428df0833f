/**
 * Where a form another site posted ends up (`refuseCrossSiteForms` in @atrium/ui/server): its
 * action never ran, and the root error boundary shows the app's 403 page.
 */
export function loader(): never {
  throw new Response('This form was sent from another site and was refused.', { status: 403 });
}

export default function Refused() {
  return null;
}
