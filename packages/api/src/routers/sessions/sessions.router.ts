import { invalidateSession, invalidateUserSessions, listUserSessions } from '@atrium/auth';
import { NotFoundError } from '@atrium/db';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc';

/** One of my signed-in devices as I see it (the account page lists them). */
export type SessionView = {
  id: string;
  type: 'active_session' | 'remember_token';
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  current: boolean;
};

export const sessionsRouter = router({
  /** My signed-in devices, the current one marked. Ids are public handles, not tokens. */
  list: authedProcedure.query(async ({ ctx }) => {
    const sessions = await listUserSessions(ctx.em, ctx.user.id, ctx.config.now);
    return sessions.map((session): SessionView => ({
      id: session.id,
      type: session.type,
      userAgent: session.userAgent ?? null,
      ip: session.ip ?? null,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
      current: session.id === ctx.session?.id,
    }));
  }),

  revoke: authedProcedure.input(z.object({ id: z.string().length(64, 'Not a valid session id.').regex(/^[0-9a-f]{64}$/, 'Not a valid session id.') })).mutation(async ({ ctx, input }) => {
    // The ownership filter is part of the delete: another user's session id matches nothing.
    const deleted = await invalidateSession(ctx.em, input.id, ctx.user.id);
    if (!deleted) throw new NotFoundError('No such session.');
    if (input.id === ctx.session?.id) ctx.cookies.clearSessionCookie();
    return { revoked: true };
  }),

  revokeOthers: authedProcedure.mutation(async ({ ctx }) => {
    const revoked = await invalidateUserSessions(ctx.em, ctx.user.id, ctx.session?.id);
    return { revoked };
  }),
});
