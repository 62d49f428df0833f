import { buttonClass, SessionWatch, UserMenu, useT } from '@atrium/ui';
import { Link, useLocation } from '@remix-run/react';
import { useWebT } from '../../i18n';
import { useRootData } from '../../root-data';

/**
 * The header's end: the signed-in user's menu (devices, password, memory, sign out) and the watch that
 * sends an open page to sign-in when the session ends; for visitors, a "Sign in" link.
 */
export function AccountActions() {
  const t = useWebT();
  const common = useT();
  const user = useRootData()?.user;
  const { pathname } = useLocation();
  if (!user) {
    if (pathname === '/login') return null;
    return (
      <Link to="/login" className={buttonClass('secondary', 'sm')}>
        {common('account.signIn')}
      </Link>
    );
  }
  return (
    <>
      <SessionWatch userId={user.id} />
      <UserMenu
        user={user}
        links={[
          { to: '/account/sessions', label: t('web.menu.sessions') },
          { to: '/account/password', label: t('web.menu.password') },
          { to: '/account/memory', label: t('web.menu.memory') },
        ]}
      />
    </>
  );
}
