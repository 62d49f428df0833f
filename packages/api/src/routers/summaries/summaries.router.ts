import type { IConversationSummary } from '@atrium/db';
import { adminProcedure, authedProcedure, router } from '../../trpc';
import { refId } from '../chat/chat.shape';
import { summaryInput, summarySettingsInput } from './summaries.schema';
import { findOwnSummary, loadSummarySettings, updateSummarySettings } from './summaries.service';

type SummaryView = {
  conversationId: string;
  summary: string;
  messageCountAtUpdate: number;
  lastMessageId: string | null;
  revision: number;
  updatedAt: Date;
};

const shapeSummary = (summary: IConversationSummary): SummaryView => ({
  conversationId: refId(summary.conversation)!,
  summary: summary.summary,
  messageCountAtUpdate: summary.messageCountAtUpdate,
  lastMessageId: refId(summary.lastMessage),
  revision: summary.revision,
  updatedAt: summary.updatedAt,
});

export const summariesRouter = router({
  /** The rolling summary of one of my conversations; null until it is long enough to have one. */
  get: authedProcedure.input(summaryInput).query(async ({ ctx, input }) => {
    const summary = await findOwnSummary(ctx.em, ctx.user, input.conversationId);
    return summary ? shapeSummary(summary) : null;
  }),
  admin: router({
    settings: adminProcedure.query(({ ctx }) => loadSummarySettings(ctx.em)),
    updateSettings: adminProcedure
      .input(summarySettingsInput)
      .mutation(({ ctx, input }) => updateSummarySettings(ctx.em, ctx.user, input)),
  }),
});
