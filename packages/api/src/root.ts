import { accountRouter } from './routers/account/account.router';
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
import { sessionsRouter } from './routers/sessions/sessions.router';
import { summariesRouter } from './routers/summaries/summaries.router';
import { usersRouter } from './routers/users/users.router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
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
  models: modelsRouter,
  usage: usageRouter,
  rateLimits: rateLimitsRouter,
  summaries: summariesRouter,
  preferences: preferencesRouter,
  cache: cacheRouter,
  feedback: feedbackRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
