import {
  getUser,
  listIdentities,
  returnRoleToDirectory,
  searchUsers,
  setUserBanned,
  setUserRole,
  setUserSetting,
  userLimitsSchema,
  userPermissionsSchema,
  userUnlocksSchema,
} from '@atrium/auth';
import { ROLES } from '@atrium/db';
import { z } from 'zod';
import { idSchema, pageInput } from '../../schemas';
import { eraseUserFiles } from '../attachments/attachments.service';
import { adminProcedure, router } from '../../trpc';
import { eraseUser, removeStoredFiles } from '../account/erasure.service';
import { shapeUserForAdmin } from '../shape';
import { unlockOverview } from './unlocks.service';

const searchInput = pageInput.extend({
  query: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  banned: z.boolean().optional(),
});

/** A ban says why (shown to the user) and, for a temporary one, until when. */
const setBannedInput = z.discriminatedUnion('banned', [
  z.object({
    id: idSchema,
    banned: z.literal(true),
    reason: z.string().trim().min(1, 'Say why the account is banned: the user will see it.').max(500),
    until: z.coerce.date().nullish(),
  }),
  z.object({ id: idSchema, banned: z.literal(false) }),
]);

export const usersRouter = router({
  search: adminProcedure.input(searchInput).query(async ({ ctx, input }) => {
    const { items, total } = await searchUsers(ctx.em, input);
    return { items: items.map(shapeUserForAdmin), total };
  }),
  get: adminProcedure.input(z.object({ id: idSchema })).query(async ({ ctx, input }) => shapeUserForAdmin(await getUser(ctx.em, input.id))),
  setRole: adminProcedure
    .input(z.object({ id: idSchema, role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => shapeUserForAdmin(await setUserRole(ctx.em, ctx.user, input.id, input.role))),
  /** Ends an administrator's role override on a directory account: the directory decides again. */
  /** How the user has signed in: local password, LDAP, each OpenID provider, SAML. */
  identities: adminProcedure.input(z.object({ id: idSchema })).query(async ({ ctx, input }) => {
    await getUser(ctx.em, input.id);
    return listIdentities(ctx.em, input.id);
  }),
  returnRoleToDirectory: adminProcedure
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => shapeUserForAdmin(await returnRoleToDirectory(ctx.em, ctx.user, input.id))),
  setBanned: adminProcedure
    .input(setBannedInput)
    .mutation(async ({ ctx, input }) => {
      const change = input.banned ? { banned: true as const, reason: input.reason, until: input.until ?? null } : { banned: false as const };
      return shapeUserForAdmin(await setUserBanned(ctx.em, ctx.user, input.id, change, ctx.config.now));
    }),
  setLimits: adminProcedure
    .input(z.object({ id: idSchema, limits: userLimitsSchema }))
    .mutation(async ({ ctx, input }) => shapeUserForAdmin(await setUserSetting(ctx.em, ctx.user, input.id, 'limits', input.limits))),
  setPermissions: adminProcedure
    .input(z.object({ id: idSchema, permissions: userPermissionsSchema }))
    .mutation(async ({ ctx, input }) =>
      shapeUserForAdmin(await setUserSetting(ctx.em, ctx.user, input.id, 'permissions', input.permissions)),
    ),
  /** Each unlock key: the models and global presets it opens, and who holds it. */
  unlocks: adminProcedure.query(({ ctx }) => unlockOverview(ctx.em)),
  setUnlocks: adminProcedure
    .input(z.object({ id: idSchema, unlocks: userUnlocksSchema }))
    .mutation(async ({ ctx, input }) => shapeUserForAdmin(await setUserSetting(ctx.em, ctx.user, input.id, 'unlocks', input.unlocks))),
  delete: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    const { storageKeys } = await eraseUser(ctx.em, input.id, { kind: 'admin', admin: ctx.user });
    await removeStoredFiles(ctx.config.files, storageKeys);
    // Thumbnails and anything else under their prefix, too.
    await eraseUserFiles(ctx.files, input.id);
    return { deleted: true };
  }),
});
