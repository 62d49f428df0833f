import type { IFeedback, IUser } from '@atrium/db';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { refId } from '../chat/chat.shape';
import { giveInput, listInput, mineInput, retractInput, statsInput } from './feedback.schema';
import { feedbackStats, giveFeedback, listFeedback, myFeedback, retractFeedback } from './feedback.service';

/** What the rater sees of their own rating. */
type RatingView = {
  messageId: string | null;
  conversationId: string;
  type: IFeedback['type'];
  comment: string | null;
  updatedAt: Date;
};

const shapeRating = (feedback: IFeedback): RatingView => ({
  /** Null once the rated answer was regenerated away; the snapshot keeps what it said. */
  messageId: refId(feedback.message),
  conversationId: refId(feedback.conversation)!,
  type: feedback.type,
  comment: feedback.comment ?? null,
  updatedAt: feedback.updatedAt,
});

/** What an admin sees: who rated what, with the snapshot of the rated answer. */
const shapeForAdmin = (feedback: IFeedback): RatingView & {
  id: string;
  user: { id: string; username: string; displayName: string | null };
  model: string | null;
  messageContent: string;
  createdAt: Date;
} => {
  const user = feedback.user as unknown as IUser;
  return {
    id: feedback.id,
    ...shapeRating(feedback),
    user: { id: user.id, username: user.username, displayName: user.displayName },
    model: feedback.model ?? null,
    messageContent: feedback.messageContent,
    createdAt: feedback.createdAt,
  };
};

export const feedbackRouter = router({
  /** Like or dislike an answer in my conversation; giving again changes the rating. */
  give: authedProcedure
    .input(giveInput)
    .mutation(async ({ ctx, input }) => shapeRating(await giveFeedback(ctx.em, ctx.user, input, ctx.config.now()))),
  retract: authedProcedure
    .input(retractInput)
    .mutation(({ ctx, input }) => retractFeedback(ctx.em, ctx.user, input.messageId)),
  /** My ratings in one conversation. */
  mine: authedProcedure
    .input(mineInput)
    .query(async ({ ctx, input }) => (await myFeedback(ctx.em, ctx.user, input.conversationId)).map(shapeRating)),
  admin: router({
    list: adminProcedure.input(listInput).query(async ({ ctx, input }) => {
      const page = await listFeedback(ctx.em, input);
      return { items: page.items.map(shapeForAdmin), nextCursor: page.nextCursor };
    }),
    stats: adminProcedure.input(statsInput).query(({ ctx, input }) => feedbackStats(ctx.em, input)),
  }),
});
