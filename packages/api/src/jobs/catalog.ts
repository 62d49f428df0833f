import { attachmentJobs } from '../routers/attachments/extraction.job';
import { accountJobs } from '../routers/account/export.job';
import { chatJobs } from '../routers/chat/after-work';
import { learningJobs } from '../routers/preferences/learning.job';
import { releaseLeasesJob } from '../routers/usage/leases.service';
import { retentionJob } from '../routers/retention/retention.job';
import { housekeepingJobs } from '../server/housekeeping';
import type { JobDefinition } from './runner';

/**
 * Every job kind, in one list: each process creates these queues and works them. A new kind is
 * defined beside its domain (`defineJob`) and added here.
 */
export const jobCatalog: readonly JobDefinition<unknown>[] = [
  ...housekeepingJobs,
  releaseLeasesJob,
  ...chatJobs,
  ...learningJobs,
  ...(accountJobs as JobDefinition<unknown>[]),
  ...attachmentJobs,
  retentionJob,
];
