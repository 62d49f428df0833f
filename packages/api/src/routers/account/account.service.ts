import { reauthenticate, type SignInDeps } from '@atrium/auth';
import { ValidationError, type EntityManager, type IUser } from '@atrium/db';
import { eraseUser } from './erasure.service';

/**
 * Deleting my own account: typed username → re-authentication (password or directory bind) →
 * the same erasure an administrator's deletion runs. The directory account itself is untouched.
 */
export async function deleteOwnAccount(
  em: EntityManager,
  user: IUser,
  input: { password: string; confirmUsername: string; ip: string | null },
  deps: SignInDeps,
) {
  if (input.confirmUsername.trim().toLowerCase() !== user.username.toLowerCase()) {
    throw new ValidationError('The username you typed does not match your account.');
  }
  await reauthenticate(em, user.id, { password: input.password, ip: input.ip }, deps);
  return eraseUser(em, user.id, { kind: 'self' });
}
