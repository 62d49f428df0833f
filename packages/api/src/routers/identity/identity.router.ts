import { recordAudit } from '@atrium/auth';
import type { LocalizedText } from '@atrium/db';
import { aiIdentity, type IdentityFields } from '../../platform/platform.parts';
import { z } from 'zod';
import { adminProcedure, publicProcedure, router } from '../../trpc';
import { loadIdentity } from './identity.service';

/** What clients see of the identity: plain data, never the entity's own type. */
export type IdentityDto = {
  displayName: string;
  developerName: LocalizedText;
  productFamily: string;
  shortIntro: LocalizedText;
  forbidProviderMention: boolean;
  updatedAt: Date;
};

const shapeIdentity = (identity: IdentityFields): IdentityDto => ({
  displayName: identity.displayName,
  developerName: { ...identity.developerName },
  productFamily: identity.productFamily,
  shortIntro: { ...identity.shortIntro },
  forbidProviderMention: identity.forbidProviderMention,
  updatedAt: identity.updatedAt,
});

/** One text per language, each required: a missing translation would leave a Turkish student reading English. */
const localized = (max: number) =>
  z.object({
    en: z.string().trim().min(1).max(max),
    tr: z.string().trim().min(1).max(max),
  });

const identityInput = z.object({
  displayName: z.string().trim().min(1, 'Give the assistant a name.').max(120),
  developerName: localized(200),
  productFamily: z.string().trim().min(1).max(120),
  shortIntro: localized(2000),
  forbidProviderMention: z.boolean(),
});

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
