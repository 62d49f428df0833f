import { recordAudit } from '@atrium/auth';
import { AiIdentity, SINGLETON_ID, type EntityManager } from '@atrium/db';
import { aiIdentity, type IdentityFields } from '../../platform/platform.parts';
import { z } from 'zod';
import { adminProcedure, publicProcedure, router } from '../../trpc';

const shapeIdentity = (identity: IdentityFields) => ({
  displayName: identity.displayName,
  developerName: identity.developerName,
  productFamily: identity.productFamily,
  shortIntro: identity.shortIntro,
  forbidProviderMention: identity.forbidProviderMention,
  updatedAt: identity.updatedAt,
});

const identityInput = z.object({
  displayName: z.string().trim().min(1, 'Give the assistant a name.').max(120),
  developerName: z.string().trim().min(1).max(200),
  productFamily: z.string().trim().min(1).max(120),
  shortIntro: z.string().trim().min(1).max(2000),
  forbidProviderMention: z.boolean(),
});

/** The singleton entity, for an admin's change; created with its defaults if a seed never ran. */
async function loadIdentity(em: EntityManager) {
  return (await em.findOne(AiIdentity, SINGLETON_ID)) ?? em.create(AiIdentity, { id: SINGLETON_ID });
}

export const identityRouter = router({
  /** Public: the apps show the assistant's name before anyone signs in. */
  get: publicProcedure.query(async ({ ctx }) => shapeIdentity(await aiIdentity(ctx.em))),
  set: adminProcedure.input(identityInput).mutation(async ({ ctx, input }) =>
    ctx.em.transactional(async (tx) => {
      const identity = await loadIdentity(tx);
      recordAudit(tx, ctx.user.id, 'identity.set', null, { from: shapeIdentity(identity), to: input });
      tx.assign(identity, input);
      // Cached answers were made under the old identity; a new revision stops serving them.
      identity.revision += 1;
      return shapeIdentity(identity);
    }),
  ),
});
