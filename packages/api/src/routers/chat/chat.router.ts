import { byIdInput } from '../../schemas';
import { authedProcedure, router } from '../../trpc';
import {
  configureInput,
  createConversationInput,
  listConversationsInput,
  messagesInput,
  regroupInput,
  renameInput,
} from './chat.schema';
import { shapeConversation, shapeMessage } from './chat.shape';
import {
  createConversation,
  deleteConversation,
  findOwnConversation,
  listConversations,
  listGroups,
  listMessages,
  updateConversation,
} from './conversations.service';

export const chatRouter = router({
  conversations: authedProcedure.input(listConversationsInput).query(async ({ ctx, input }) => {
    const page = await listConversations(ctx.em, ctx.user, input);
    return { items: page.items.map(shapeConversation), nextCursor: page.nextCursor };
  }),
  groups: authedProcedure.query(({ ctx }) => listGroups(ctx.em, ctx.user)),
  get: authedProcedure.input(byIdInput).query(async ({ ctx, input }) => shapeConversation(await findOwnConversation(ctx.em, ctx.user, input.id))),
  create: authedProcedure
    .input(createConversationInput)
    .mutation(async ({ ctx, input }) => shapeConversation(await createConversation(ctx.em, ctx.user, input))),
  rename: authedProcedure
    .input(renameInput)
    .mutation(async ({ ctx, input }) => shapeConversation(await updateConversation(ctx.em, ctx.user, input.id, { title: input.title }))),
  regroup: authedProcedure
    .input(regroupInput)
    .mutation(async ({ ctx, input }) => shapeConversation(await updateConversation(ctx.em, ctx.user, input.id, { group: input.group }))),
  configure: authedProcedure
    .input(configureInput)
    .mutation(async ({ ctx, input }) => shapeConversation(await updateConversation(ctx.em, ctx.user, input.id, input))),
  delete: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await deleteConversation(ctx.em, ctx.user, input.id);
    return { deleted: true };
  }),
  messages: authedProcedure.input(messagesInput).query(async ({ ctx, input }) => {
    const page = await listMessages(ctx.em, ctx.user, input.conversationId, input);
    return { items: page.items.map(shapeMessage), nextCursor: page.nextCursor };
  }),
});
