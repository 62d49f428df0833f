import { ForbiddenError } from '@atrium/db';
import { byIdInput } from '../../schemas';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { adminListApiKeysInput, apiSettingsInput, createApiKeyInput } from './apiKeys.schema';
import {
  createMyApiKey,
  listAllApiKeys,
  listMyApiKeys,
  loadApiSettings,
  mayUseApiKeys,
  revokeAnyApiKey,
  revokeMyApiKey,
  updateApiSettings,
} from './apiKeys.service';

export const apiKeysRouter = router({
  /** My keys (never the key itself), and whether I may create one. */
  mine: authedProcedure.query(async ({ ctx }) => ({
    allowed: mayUseApiKeys(ctx.user, await loadApiSettings(ctx.em)),
    keys: await listMyApiKeys(ctx.em, ctx.user, ctx.config.now()),
  })),
  /** Returns the key once; only its hash is kept. */
  create: authedProcedure.input(createApiKeyInput).mutation(({ ctx, input }) => {
    // A key acts as its owner but does not mint more keys: a leaked key cannot entrench itself.
    if (ctx.apiKey) throw new ForbiddenError('Create API keys in the web app, not with another key.');
    return createMyApiKey(ctx.em, ctx.user, input, ctx.config.now);
  }),
  revoke: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await revokeMyApiKey(ctx.em, ctx.user, input.id, ctx.config.now);
    return { revoked: true };
  }),
  admin: router({
    list: adminProcedure.input(adminListApiKeysInput).query(({ ctx, input }) => listAllApiKeys(ctx.em, input, ctx.config.now())),
    revoke: adminProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
      await revokeAnyApiKey(ctx.em, ctx.user, input.id, ctx.config.now);
      return { revoked: true };
    }),
    settings: adminProcedure.query(({ ctx }) => loadApiSettings(ctx.em)),
    updateSettings: adminProcedure.input(apiSettingsInput).mutation(({ ctx, input }) => updateApiSettings(ctx.em, ctx.user, input)),
  }),
});
