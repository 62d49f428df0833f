import { changePassword, createSession, invalidateSession, isBanActive, registerWithInvite, signIn } from '@atrium/auth';
import { adminProcedure, authedProcedure, publicProcedure, router } from '../../trpc';
import { shapeUser } from '../shape';
import { changePasswordInput, registerInput, signInInput } from './auth.schema';

export const authRouter = router({
  /** Signs in with a local password or the university directory; sets the session cookie. */
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const { user, token, session } = await signIn(
      ctx.em,
      { ...input, requireAdmin: input.adminOnly, ip: ctx.meta.ip, userAgent: ctx.meta.userAgent },
      ctx.config,
    );
    ctx.cookies.setSessionCookie(token, session);
    // The token is returned too, for scripts using packages/client with a bearer token.
    return { user: shapeUser(user), token, expiresAt: session.expiresAt };
  }),

  /** Creates a local account from an invite code and signs it in. */
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await registerWithInvite(ctx.em, input, ctx.config.now);
    const { token, session } = await createSession(
      ctx.em,
      user,
      { type: 'active_session', ip: ctx.meta.ip, userAgent: ctx.meta.userAgent },
      ctx.config.now,
    );
    ctx.cookies.setSessionCookie(token, session);
    return { user: shapeUser(user), token, expiresAt: session.expiresAt };
  }),

  /**
   * Ends the session here. A session an OpenID provider made also names where to end the
   * provider's session (RP-initiated logout), for the app to send the browser on to.
   */
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    const method = ctx.session?.signInMethod ?? null;
    if (ctx.session) await invalidateSession(ctx.em, ctx.session.id);
    ctx.cookies.clearSessionCookie();
    const oidcProvider = method?.startsWith('oidc:') ? ctx.config.sso.oidc.find((provider) => `oidc:${provider.id}` === method) : undefined;
    return { signedOut: true, providerLogout: oidcProvider ? `/auth/oidc/${oidcProvider.id}/logout` : null };
  }),

  /** The single sign-on buttons the sign-in pages show: one per OpenID provider, one for SAML. */
  ssoProviders: publicProcedure.query(({ ctx }) => [
    ...ctx.config.sso.oidc.map((provider) => ({ id: provider.id, protocol: 'oidc' as const, displayName: provider.displayName, href: `/auth/oidc/${provider.id}` })),
    ...(ctx.config.sso.saml ? [{ id: 'saml', protocol: 'saml' as const, displayName: ctx.config.sso.saml.displayName, href: '/auth/saml' }] : []),
  ]),

  /**
   * The signed-in administrator, confirmed as an admin procedure confirms one (a directory
   * admin's groups are asked again when the last check is old): the admin app's pages call it
   * first, so a right lost in the directory is a 403 or a sign-in page, not a page failing half-way.
   */
  confirmAdmin: adminProcedure.query(({ ctx }) => shapeUser(ctx.user)),

  /** The signed-in user, or null: the apps call this to decide what to show. */
  me: publicProcedure.query(({ ctx }) => (ctx.user && !isBanActive(ctx.user, ctx.config.now()) ? shapeUser(ctx.user) : null)),

  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.em, ctx.user.id, { ...input, keepSessionId: ctx.session?.id ?? null });
    return { changed: true };
  }),
});
