import { accountRouter } from './routers/account/account.router';
import { attachmentsRouter } from './routers/attachments/attachments.router';
import { apiKeysRouter } from './routers/apiKeys/apiKeys.router';
import { authRouter } from './routers/auth/auth.router';
import { cacheRouter } from './routers/cache/cache.router';
import { chatRouter } from './routers/chat/chat.router';
import { feedbackRouter } from './routers/feedback/feedback.router';
import { healthRouter } from './routers/health/health.router';
import { identityRouter } from './routers/identity/identity.router';
import { modelsRouter } from './routers/models/models.router';
import { rateLimitsRouter } from './routers/usage/rate-limits.router';
import { usageRouter } from './routers/usage/usage.router';
import { invitesRouter } from './routers/invites/invites.router';
import { jobsRouter } from './routers/jobs/jobs.router';
import { preferencesRouter } from './routers/preferences/preferences.router';
import { presetsRouter } from './routers/presets/presets.router';
import { retentionRouter } from './routers/retention/retention.router';
import { sharesRouter } from './routers/shares/shares.router';
import { sessionsRouter } from './routers/sessions/sessions.router';
import { summariesRouter } from './routers/summaries/summaries.router';
import { usersRouter } from './routers/users/users.router';
import type { TRPCBuiltRouter, TRPCDecorateCreateRouterOptions, TRPCRouterCaller } from '@trpc/server';
import { createCallerFactory, router, type RootTypes } from './trpc';

/**
 * Written out rather than inferred: the inferred router type is longer than the compiler will
 * write into a declaration file (TS7056), and declarations are what other packages' type-checks
 * read (project references). Each domain router's own type is still inferred, so the apps and
 * the client see every procedure's exact input and output.
 */
type AppRouterRecord = TRPCDecorateCreateRouterOptions<{
  health: typeof healthRouter;
  auth: typeof authRouter;
  account: typeof accountRouter;
  sessions: typeof sessionsRouter;
  apiKeys: typeof apiKeysRouter;
  invites: typeof invitesRouter;
  users: typeof usersRouter;
  presets: typeof presetsRouter;
  identity: typeof identityRouter;
  chat: typeof chatRouter;
  shares: typeof sharesRouter;
  models: typeof modelsRouter;
  usage: typeof usageRouter;
  rateLimits: typeof rateLimitsRouter;
  summaries: typeof summariesRouter;
  preferences: typeof preferencesRouter;
  cache: typeof cacheRouter;
  feedback: typeof feedbackRouter;
  attachments: typeof attachmentsRouter;
  jobs: typeof jobsRouter;
  retention: typeof retentionRouter;
}>;

export const appRouter: TRPCBuiltRouter<RootTypes, AppRouterRecord> = router({
  health: healthRouter,
  auth: authRouter,
  account: accountRouter,
  sessions: sessionsRouter,
  apiKeys: apiKeysRouter,
  invites: invitesRouter,
  users: usersRouter,
  presets: presetsRouter,
  identity: identityRouter,
  chat: chatRouter,
  shares: sharesRouter,
  models: modelsRouter,
  usage: usageRouter,
  rateLimits: rateLimitsRouter,
  summaries: summariesRouter,
  preferences: preferencesRouter,
  cache: cacheRouter,
  feedback: feedbackRouter,
  attachments: attachmentsRouter,
  jobs: jobsRouter,
  retention: retentionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller: TRPCRouterCaller<RootTypes, AppRouterRecord> = createCallerFactory(appRouter);
/** The router called in-process (tests, scripts, Remix loaders). */
export type AtriumCaller = ReturnType<typeof createCaller>;
