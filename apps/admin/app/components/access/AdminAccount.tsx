import { SessionWatch, UserMenu } from '@atrium/ui';
import { useRootData } from '../../root-data';

/**
 * The header's end for a signed-in user: their menu (sign out) and the watch that sends an open
 * page to sign-in when the session ends or the account is suspended.
 */
export function AdminAccount() {
  const user = useRootData()?.user;
  if (!user) return null;
  return (
    <>
      <SessionWatch userId={user.id} />
      <UserMenu user={user} />
    </>
  );
}
