import type { Context } from '../../context';
import { toTRPCError } from '../../errors';
import { byIdInput } from '../../schemas';
import { authedProcedure, router } from '../../trpc';
import {
  archiveInput,
  branchInput,
  exportInput,
  pinInput,
  searchInput,
  configureInput,
  createConversationInput,
  listConversationsInput,
  messagesInput,
  regenerateInput,
  sendInput,
  regroupInput,
  renameInput,
} from './chat.schema';
import { startTurn, type TurnRequest } from './chat.service';
import { shapeConversation, shapeMessage } from './chat.shape';
import {
  createConversation,
  deleteConversation,
  findOwnConversation,
  listConversations,
  listGroups,
  setConversationPlace,
  updateConversation,
} from './conversations.service';
import { exportConversation } from './export.service';
import { searchMessages } from './search.service';
import { branchPage, deleteBranch, switchBranch } from './tree.service';

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
  /** Finds my messages containing every word of the query (as word beginnings), best first, with a marked snippet each. */
  search: authedProcedure.input(searchInput).query(({ ctx, input }) => searchMessages(ctx.em, ctx.user, input)),
  /** The viewed branch of one of my conversations as a Markdown or JSON file. */
  export: authedProcedure
    .input(exportInput)
    .query(({ ctx, input }) => exportConversation(ctx.em, ctx.user, input.id, input.format, ctx.config.now())),
  /** Pins a conversation to the top of the list, or unpins it. */
  pin: authedProcedure
    .input(pinInput)
    .mutation(async ({ ctx, input }) =>
      shapeConversation(await setConversationPlace(ctx.em, ctx.user, input.id, { pinned: input.pinned }, ctx.config.now())),
    ),
  /** Archives a conversation (out of the list, still searchable), or restores it. */
  archive: authedProcedure
    .input(archiveInput)
    .mutation(async ({ ctx, input }) =>
      shapeConversation(await setConversationPlace(ctx.em, ctx.user, input.id, { archived: input.archived }, ctx.config.now())),
    ),
  configure: authedProcedure
    .input(configureInput)
    .mutation(async ({ ctx, input }) => shapeConversation(await updateConversation(ctx.em, ctx.user, input.id, input))),
  delete: authedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await deleteConversation(ctx.em, ctx.user, input.id);
    return { deleted: true };
  }),
  /** Streams the answer: a `started` event, text `delta`s, then `finished` (or `failed`). */
  send: authedProcedure.input(sendInput).mutation(async function* ({ ctx, input, signal }) {
    yield* relayTurn(ctx, signal, { kind: 'send', ...input });
  }),
  /** Answers a question again; the earlier answers stay as versions beside the new one. */
  regenerate: authedProcedure.input(regenerateInput).mutation(async function* ({ ctx, input, signal }) {
    yield* relayTurn(ctx, signal, { kind: 'regenerate', ...input });
  }),
  /** The viewed branch, newest page first; each message lists its versions (itself and its siblings). */
  messages: authedProcedure.input(messagesInput).query(async ({ ctx, input }) => {
    const page = await branchPage(ctx.em, ctx.user, input.conversationId, { limit: input.limit, before: input.cursor ?? null });
    return { items: page.items.map(({ message, versionIds }) => ({ ...shapeMessage(message), versionIds })), nextCursor: page.nextCursor };
  }),
  /** Turns to another version at a fork: the view follows its newest branch. */
  switchBranch: authedProcedure
    .input(branchInput)
    .mutation(({ ctx, input }) => switchBranch(ctx.em, ctx.user, input.conversationId, input.messageId)),
  /** Deletes one version and what follows it; the other versions stay. */
  deleteBranch: authedProcedure
    .input(branchInput)
    .mutation(({ ctx, input }) => deleteBranch(ctx.em, ctx.user, input.conversationId, input.messageId)),
});

/** At most one text event per window on the wire, unless this much text is waiting. */
const WIRE_WINDOW_MS = 25;
const WIRE_MAX_CHARS = 512;

type AuthedContext = Context & { user: NonNullable<Context['user']> };

/**
 * Relays a turn to the client. Errors before the first event are domain errors mapped to
 * tRPC codes (a streamed procedure's errors bypass the middleware); errors of the upstream
 * arrive as a `failed` event after the user's message has been kept.
 */
async function* relayTurn(ctx: AuthedContext, signal: AbortSignal | undefined, request: Omit<TurnRequest, 'user' | 'signal'>) {
  let turn;
  try {
    turn = await startTurn(ctx.em, ctx.config, { ...request, user: ctx.user, signal } as TurnRequest);
  } catch (error) {
    throw toTRPCError(error);
  }
  yield {
    type: 'started' as const,
    conversation: shapeConversation(turn.conversation),
    userMessage: shapeMessage(turn.userMessage),
    model: { id: turn.model.id, displayName: turn.model.displayName },
  };
  // Over the wire every event is serialized and written: text is coalesced (the first delta at once).
  const texts = ctx.meta.transport === 'wire' ? turn.deltas.batches(WIRE_WINDOW_MS, WIRE_MAX_CHARS) : turn.deltas;
  for await (const text of texts) yield { type: 'delta' as const, text };
  const outcome = await turn.finished;
  const message = outcome.assistantMessage ? shapeMessage(outcome.assistantMessage) : null;
  if (outcome.status === 'failed') yield { type: 'failed' as const, error: outcome.error ?? 'The answer failed.', message };
  else yield { type: 'finished' as const, status: outcome.status, message };
}
