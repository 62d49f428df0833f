export { jobCatalog } from './catalog';
export {
  defineJob,
  JobRunner,
  noJobQueue,
  type EnqueueOptions,
  type JobAdmin,
  type JobCounts,
  type JobStatus,
  type JobSummary,
  type JobContext,
  type JobDefinition,
  type JobQueue,
  type JobRetry,
  type JobRunnerOptions,
  type JobState,
} from './runner';
