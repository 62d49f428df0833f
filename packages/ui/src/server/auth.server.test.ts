import { describe, expect, it } from 'vitest';
import { loginPath, requireAdmin, requireSignedOut, requireUser, safeRedirect, type SignedInUser } from './auth.server';

const student: SignedInUser = {
  id: '5f0c9a52-7c1e-4c55-9a0e-1d2b3c4d5e6f',
  username: 'ayse',
  displayName: 'Ayşe Yılmaz',
  email: null,
  role: 'student',
  authSource: 'local',
  isBanned: false,
  theme: 'system',
  language: null,
  createdAt: new Date(),
  lastLoginAt: null,
};
const admin: SignedInUser = { ...student, role: 'admin' };

// `auth.me` and `auth.confirmAdmin` are asked; a stand-in for the router's server-side caller.
const contextAs = (user: SignedInUser | null, adminCheck: () => Promise<SignedInUser | null> = async () => user) =>
  ({ trpc: { auth: { me: async () => user, confirmAdmin: adminCheck } } }) as unknown as Parameters<typeof requireUser>[0];
const trpcError = (code: string, message: string) => Object.assign(new Error(message), { name: 'TRPCError', code });
const request = (path: string) => new Request(`http://localhost${path}`);

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Response);
  return error as Response;
}

describe('safeRedirect', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeRedirect('/account/sessions')).toBe('/account/sessions');
    expect(safeRedirect('/chat?c=1#m2')).toBe('/chat?c=1#m2');
    expect(safeRedirect('/users/%C3%A7')).toBe('/users/%C3%A7');
  });

  it('refuses anything a browser would read as another site', () => {
    for (const target of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' /chat',
      'javascript:alert(1)',
      'chat',
      '',
      null,
      undefined,
      42,
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(safeRedirect(target, '/home')).toBe('/home');
    }
  });

  it('never returns to the sign-in pages themselves', () => {
    expect(safeRedirect('/login?redirectTo=/x', '/chat')).toBe('/chat');
    expect(safeRedirect('/logout', '/chat')).toBe('/chat');
    expect(safeRedirect('/register/', '/chat')).toBe('/chat');
    expect(safeRedirect('/login-help', '/chat')).toBe('/login-help');
  });
});

describe('loginPath', () => {
  it('comes back to the page that was asked for', () => {
    expect(loginPath(request('/account/sessions?tab=2'))).toBe('/login?redirectTo=%2Faccount%2Fsessions%3Ftab%3D2');
    expect(loginPath(request('/'))).toBe('/login');
    expect(loginPath(request('/users'), 'expired')).toBe('/login?redirectTo=%2Fusers&reason=expired');
  });
});

describe('the require helpers', () => {
  it('sends a signed-out visitor to sign-in and back', async () => {
    const response = await thrown(requireUser(contextAs(null), request('/account/password')));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Faccount%2Fpassword');
  });

  it('gives the signed-in user to the loader', async () => {
    await expect(requireUser(contextAs(student), request('/x'))).resolves.toBe(student);
    await expect(requireAdmin(contextAs(admin), request('/users'))).resolves.toBe(admin);
  });

  it('refuses a signed-in user without the admin role with a 403, and sends strangers to sign-in', async () => {
    expect((await thrown(requireAdmin(contextAs(student), request('/users')))).status).toBe(403);
    expect((await thrown(requireAdmin(contextAs(null), request('/users')))).headers.get('location')).toBe('/login?redirectTo=%2Fusers');
  });

  it("turns an admin procedure's refusal of a once-admin (directory re-check) into a 403, a sign-in or a 503", async () => {
    const refusedWith = (code: string, message: string) => thrown(requireAdmin(contextAs(admin, () => Promise.reject(trpcError(code, message))), request('/users')));
    expect((await refusedWith('FORBIDDEN', 'Administrators only.')).status).toBe(403);
    expect((await refusedWith('UNAUTHORIZED', 'Please sign in again.')).headers.get('location')).toBe('/login?redirectTo=%2Fusers&reason=signed-out');
    const unavailable = await refusedWith('SERVICE_UNAVAILABLE', 'Your administrator rights cannot be confirmed with the university directory right now.');
    expect(unavailable.status).toBe(503);
    expect(await unavailable.text()).toMatch(/cannot be confirmed/);
  });

  it('moves a signed-in visitor on from the sign-in page, to a safe place only', async () => {
    const onward = await thrown(requireSignedOut(contextAs(student), request('/login?redirectTo=%2Faccount'), '/chat'));
    expect(onward.headers.get('location')).toBe('/account');
    const home = await thrown(requireSignedOut(contextAs(student), request('/login?redirectTo=https://evil.example'), '/chat'));
    expect(home.headers.get('location')).toBe('/chat');
    await expect(requireSignedOut(contextAs(null), request('/login'), '/chat')).resolves.toBeUndefined();
    // The admin app lets a student see its sign-in page, to switch to an admin account.
    await expect(requireSignedOut(contextAs(student), request('/login'), '/', (user) => user.role === 'admin')).resolves.toBeUndefined();
  });
});
