import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { appRouter, createCaller, type AppRouter, type AtriumCaller } from './root';
export { createContextInner, type Context } from './context';
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
// Shapes some procedures return, named here so declarations outside this package can refer to them.
export type { ApiSettingsFields } from './routers/apiKeys/apiKeys.service';
export type { IdentityDto } from './routers/identity/identity.router';
export type { AdminUserDto, UserDto } from './routers/shape';
export type { ConversationView, MessageView } from './routers/chat/chat.shape';
export type { AttachmentView } from './routers/attachments/attachments.service';
export type { PreferenceView } from './routers/preferences/preferences.router';
export type { PresetView } from './routers/presets/presets.router';
export type { ChoicesView } from './routers/account/choices.service';
export type { ExportView } from './routers/account/export.service';
export type { ModelView } from './routers/models/models.router';
export type { ApiKeyView } from './routers/apiKeys/apiKeys.service';
export type { ShareView } from './routers/shares/shares.service';
export type { FeedbackCursor } from './routers/feedback/feedback.service';
export type { RetentionView } from './routers/retention/retention.service';
export type { SessionView } from './routers/sessions/sessions.router';
export type { JobCounts, JobStatus, JobSummary } from './jobs';
