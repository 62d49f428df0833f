import { AiIdentity, SINGLETON_ID } from '@atrium/db';
import { publicProcedure, router } from '../../trpc';

export const healthRouter = router({
  /** Liveness plus a real database round-trip, so a green health means the app can serve. */
  check: publicProcedure.query(async ({ ctx }): Promise<{ status: 'ok'; database: 'ok'; product: string; time: Date }> => {
    const identity = await ctx.em.findOne(AiIdentity, SINGLETON_ID);
    return {
      status: 'ok' as const,
      database: 'ok' as const,
      product: identity?.displayName ?? 'Atrium',
      time: new Date(),
    };
  }),
});
