import type { IMessage } from '@atrium/db';
import type { Context } from '../../context';
import { toTRPCError } from '../../errors';
import { turnMoment } from '../../observability/moments';
import { byIdInput } from '../../schemas';
import { authedProcedure, router } from '../../trpc';
import {
  archiveInput,
  attachInput,
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
import { attachmentsOfMessages, shapeAttachment, type AttachmentView } from '../attachments/attachments.service';
import { startTurn, type TurnOutcome, type TurnRequest } from './chat.service';
import { findRunningAnswer, followAnswer, isAnswering, stopAnswer } from './resume.service';
import { shapeConversation, shapeMessage, type ConversationView } from './chat.shape';
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
import { answerUsageVisible } from '../usage/transparency.service';
import { accountingPeriod } from '../usage/calendar';
import { effectiveLimits } from '../usage/limits.service';
import { quotaOf, type QuotaView } from '../usage/usage.service';
import { branchPage, deleteBranch, switchBranch } from './tree.service';

export const chatRouter = router({
  conversations: authedProcedure.input(listConversationsInput).query(({ ctx, input }) => listConversations(ctx.em, ctx.user, input)),
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
    .query(async ({ ctx, input }) =>
      exportConversation(ctx.em, ctx.user, input.id, input.format, ctx.config.now(), { showUsage: await answerUsageVisible(ctx.em, ctx.user) }),
    ),
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
    await deleteConversation(ctx.em, ctx.user, input.id, ctx.files);
    return { deleted: true };
  }),
  /**
   * Streams the answer: a `started` event, text `delta`s, then `finished` (or `failed`). `finished`
   * also carries the conversation as `conversations` now lists it and the model's row of
   * `usage.mine`, so a client needs not fetch them again. The answer outlives the request (a
   * reload, a dropped network): `attach` follows it again, `stop` stops it.
   */
  send: authedProcedure.input(sendInput).mutation(async function* ({ ctx, input }) {
    yield* relayTurn(ctx, { kind: 'send', ...input });
  }),
  /** Answers a question again; the earlier answers stay as versions beside the new one. */
  regenerate: authedProcedure.input(regenerateInput).mutation(async function* ({ ctx, input }) {
    yield* relayTurn(ctx, { kind: 'regenerate', ...input });
  }),
  /**
   * Follows the answer one of my conversations is waiting for, wherever it is produced: `started`,
   * the text so far and then as it arrives, then `finished` (completed, aborted or interrupted) or
   * `failed`. Nothing when no answer is running.
   */
  attach: authedProcedure.input(attachInput).query(async function* ({ ctx, input, signal }) {
    yield* followTurn(ctx, input.conversationId, signal);
  }),
  /** Whether an answer is running for one of my conversations (on any process): a page that loads it attaches. */
  answering: authedProcedure.input(attachInput).query(({ ctx, input }) => isAnswering(ctx.em, ctx.user, input.conversationId)),
  /** Stops the answer one of my conversations is waiting for, on whichever process produces it. */
  stop: authedProcedure.input(attachInput).mutation(({ ctx, input }) => stopAnswer(ctx.em, ctx.config, ctx.user, input.conversationId)),
  /** The viewed branch, newest page first; each message lists its versions (itself and its siblings). */
  messages: authedProcedure.input(messagesInput).query(async ({ ctx, input }) => {
    const showUsage = await answerUsageVisible(ctx.em, ctx.user);
    return branchPage(ctx.em, ctx.user, input.conversationId, { limit: input.limit, before: input.cursor ?? null, showUsage });
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
async function* relayTurn(ctx: AuthedContext, request: Omit<TurnRequest, 'user' | 'signal'>) {
  turnMoment('procedure started');
  let turn;
  try {
    // Not the request's signal: the answer goes on when the browser leaves, and readers attach to it.
    turn = await startTurn(ctx.em, ctx.config, { ...request, user: ctx.user, files: ctx.files, language: ctx.meta.language ?? null } as TurnRequest);
  } catch (error) {
    throw toTRPCError(error);
  }
  const showUsage = await answerUsageVisible(ctx.em, ctx.user);
  // The upstream's request first: serializing and writing this event would otherwise delay it.
  await turn.upstreamRequested;
  yield {
    type: 'started' as const,
    conversation: shapeConversation(turn.conversation),
    userMessage: { ...shapeMessage(turn.userMessage, showUsage), attachments: turn.attachments.map(shapeAttachment) },
    // A drawing model answers with a picture, not text: the client says so while it waits.
    model: { id: turn.model.id, displayName: turn.model.displayName, draws: turn.model.supportsImageGeneration === true },
  };
  // Over the wire every event is serialized and written: text is coalesced (the first delta at once).
  const texts = ctx.meta.transport === 'wire' ? turn.deltas.batches(WIRE_WINDOW_MS, WIRE_MAX_CHARS) : turn.deltas;
  for await (const text of texts) yield { type: 'delta' as const, text };
  const outcome = await turn.finished;
  const message = outcome.assistantMessage
    ? { ...shapeMessage(outcome.assistantMessage, showUsage), style: turn.style, attachments: outcome.pictures.map(shapeAttachment) as AttachmentView[] }
    : null;
  if (outcome.status === 'failed') yield { type: 'failed' as const, error: outcome.error ?? 'The answer failed.', message };
  else yield { type: 'finished' as const, status: outcome.status, message, ...(await whatTheTurnLeft(ctx, turn.model, outcome.after)) };
}

/**
 * What the page that asked would otherwise fetch after the answer, as the answer's own statement
 * returned it: the conversation as its list shows it, and the model's quota (`usage.mine`'s row),
 * unless the day or the month turned while the answer ran (the counters returned are then the
 * old period's). Absent for a reader that attached (`followTurn`): it fetches.
 */
async function whatTheTurnLeft(
  ctx: AuthedContext,
  model: { id: string; displayName: string },
  after: TurnOutcome['after'],
): Promise<{ conversation?: ConversationView; quota?: QuotaView }> {
  if (!after) return {};
  const period = accountingPeriod(ctx.config.now(), ctx.config.usageTimeZone);
  const current = period.day === after.ledger.day && period.month === after.ledger.month;
  return {
    conversation: after.conversation,
    ...(current ? { quota: quotaOf(model, await effectiveLimits(ctx.em, ctx.user, model.id), period, after.ledger) } : {}),
  };
}

/**
 * Relays a running answer to a reader that (re)attached, in the events of `relayTurn`: `started`,
 * the text so far and as it arrives, then how it ended (`finished` may say `interrupted`).
 */
async function* followTurn(ctx: AuthedContext, conversationId: string, signal: AbortSignal | undefined) {
  let answer;
  try {
    answer = await findRunningAnswer(ctx.em, ctx.user, conversationId);
  } catch (error) {
    throw toTRPCError(error);
  }
  if (!answer) return;
  const showUsage = await answerUsageVisible(ctx.em, ctx.user);
  const withAttachments = async (message: IMessage) => ({
    ...shapeMessage(message, showUsage),
    attachments: (await attachmentsOfMessages(ctx.em, ctx.user.id, [message.id])).get(message.id) ?? ([] as AttachmentView[]),
  });
  yield {
    type: 'started' as const,
    conversation: shapeConversation(await findOwnConversation(ctx.em, ctx.user, conversationId)),
    userMessage: answer.question ? await withAttachments(answer.question) : null,
    model: answer.model,
  };
  const following = followAnswer(ctx.em, ctx.config, answer, signal);
  // A reader that leaves early stops following (its listener and timer go).
  using _stopFollowing = { [Symbol.dispose]: () => void following.return(null) };
  for (;;) {
    const next = await following.next();
    if (!next.done) {
      yield { type: 'delta' as const, text: next.value };
      continue;
    }
    const end = next.value;
    if (!end) return;
    const message = end.message ? await withAttachments(end.message) : null;
    if (end.status === 'failed') yield { type: 'failed' as const, error: end.error ?? 'The answer failed.', message };
    else yield { type: 'finished' as const, status: end.status, message };
    return;
  }
}
