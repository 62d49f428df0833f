import { createInvite, listInvites, revokeInvite } from '@atrium/auth';
import { ROLES, ValidationError, type IInvite, type IUser, type Role } from '@atrium/db';
import { z } from 'zod';
import { byIdInput, pageInput } from '../../schemas';
import { adminProcedure, router } from '../../trpc';

const createInviteInput = z.object({
  role: z.enum(ROLES).default('student'),
  expiresAt: z.coerce.date().min(new Date(0)).nullable().default(null),
  note: z.string().trim().max(255).nullable().default(null),
});

const status = (invite: IInvite, now: Date) =>
  invite.isUsed ? 'used' : invite.revokedAt ? 'revoked' : invite.expiresAt && invite.expiresAt <= now ? 'expired' : 'open';

/** An invite as admins see it: plain values, so clients' types do not name the ORM's. */
type InviteView = {
  id: string;
  code: string;
  role: Role;
  note: string | null;
  status: ReturnType<typeof status>;
  expiresAt: Date | null;
  createdAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
};

const shapeInvite = (invite: IInvite, now: Date): InviteView => ({
  id: invite.id,
  code: invite.code,
  role: invite.role,
  note: invite.note ?? null,
  status: status(invite, now),
  expiresAt: invite.expiresAt ?? null,
  createdAt: invite.createdAt,
  usedAt: invite.usedAt ?? null,
  usedBy: invite.usedBy ? (invite.usedBy as unknown as IUser).username ?? null : null,
});

export const invitesRouter = router({
  create: adminProcedure.input(createInviteInput).mutation(async ({ ctx, input }) => {
    if (input.expiresAt && input.expiresAt <= ctx.config.now()) {
      throw new ValidationError('The expiry must be in the future.');
    }
    return shapeInvite(await createInvite(ctx.em, ctx.user, input), ctx.config.now());
  }),
  list: adminProcedure.input(pageInput).query(async ({ ctx, input }) => {
    const { items, total } = await listInvites(ctx.em, input);
    const now = ctx.config.now();
    return { items: items.map((invite) => shapeInvite(invite, now)), total };
  }),
  revoke: adminProcedure.input(byIdInput).mutation(async ({ ctx, input }) =>
    shapeInvite(await revokeInvite(ctx.em, ctx.user, input.id, ctx.config.now), ctx.config.now()),
  ),
});
