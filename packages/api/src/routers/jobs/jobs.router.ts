import { adminProcedure, router } from '../../trpc';
import { listJobsInput, retryJobInput } from './jobs.schema';
import { jobsOverview, listJobs, retryJob } from './jobs.service';

/** Background jobs, for administrators: what waits, runs and failed (with why), and a retry. */
export const jobsRouter = router({
  admin: router({
    overview: adminProcedure.query(({ ctx }) => jobsOverview(ctx.config.jobs)),
    list: adminProcedure.input(listJobsInput).query(({ ctx, input }) => listJobs(ctx.config.jobs, input)),
    retry: adminProcedure.input(retryJobInput).mutation(({ ctx, input }) => retryJob(ctx.em, ctx.config.jobs, ctx.user, input)),
  }),
});
