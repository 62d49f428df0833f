import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isLostAccess, signInAgainPath } from './lost-access';

const apiError = (code: string, message = 'x') =>
  new TRPCClientError(message, { result: { error: { message, code: -32001, data: { code } } } } as never);

describe('noticing that an open page lost access', () => {
  it('counts UNAUTHORIZED and a suspended account, from any procedure', () => {
    expect(isLostAccess(apiError('UNAUTHORIZED'), [['sessions', 'list'], { type: 'query' }])).toBe(true);
    expect(isLostAccess(apiError('FORBIDDEN', 'This account is suspended.'), [['chat', 'send']])).toBe(true);
  });

  it('ignores other refusals, wrong passwords and errors that are not from the API', () => {
    expect(isLostAccess(apiError('FORBIDDEN', 'Administrators only.'), [['users', 'search']])).toBe(false);
    expect(isLostAccess(apiError('TOO_MANY_REQUESTS'), [['chat', 'send']])).toBe(false);
    expect(isLostAccess(apiError('UNAUTHORIZED'), [['auth', 'signIn']])).toBe(false);
    expect(isLostAccess(apiError('UNAUTHORIZED'), [['auth', 'changePassword']])).toBe(false);
    expect(isLostAccess(new Error('network'), [['health', 'check']])).toBe(false);
  });

  it('goes to sign-in with a reason and the way back', () => {
    expect(signInAgainPath({ pathname: '/chat/abc', search: '?x=1' })).toBe('/login?reason=signed-out&redirectTo=%2Fchat%2Fabc%3Fx%3D1');
    expect(signInAgainPath({ pathname: '/', search: '' })).toBe('/login?reason=signed-out');
  });
});
