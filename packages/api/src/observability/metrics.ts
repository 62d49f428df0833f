/**
 * Prometheus metrics (prom-client) for the whole process, in one registry: answers (time to first
 * token, total time, tokens per second, active streams), admissions refused, upstream errors,
 * cache hits, jobs, HTTP latency and the database pool. Served at `/metrics` (see operations.ts).
 */
import { estimateTokens, type AnswerResult } from '@atrium/ai';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
// The event-loop delay histogram samples on a timer: prom-client's 10 ms default wakes an idle
// process 100 times a second (~3 ms of CPU a second) and lands between a streaming answer's
// chunks. Ten samples a second still give its percentiles over a scrape interval.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });

export const answerFirstToken = new Histogram({
  name: 'atrium_answer_first_token_seconds',
  help: 'Time from the upstream call to the first text of an answer, per model.',
  labelNames: ['model'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  registers: [registry],
});

export const answerDuration = new Histogram({
  name: 'atrium_answer_duration_seconds',
  help: 'Total time of an answer, from the upstream call to its end, per model and outcome.',
  labelNames: ['model', 'status'] as const,
  buckets: [0.5, 1, 2, 5, 10, 20, 40, 60, 120, 300],
  registers: [registry],
});

export const answerTokensPerSecond = new Histogram({
  name: 'atrium_answer_tokens_per_second',
  help: 'Completion tokens per second after the first token, per model.',
  labelNames: ['model'] as const,
  buckets: [1, 5, 10, 20, 40, 80, 160, 320, 640],
  registers: [registry],
});

export const activeStreams = new Gauge({
  name: 'atrium_active_streams',
  help: 'Answers this process is producing right now.',
  registers: [registry],
});

export const admissionsRefused = new Counter({
  name: 'atrium_admissions_refused_total',
  help: 'Turns refused before any upstream call, by reason (dailyRequests, monthlyTokens, shuttingDown).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const upstreamErrors = new Counter({
  name: 'atrium_upstream_errors_total',
  help: 'Answers the upstream failed, per model and kind (rate-limited, refused, failed, timeout, not-configured).',
  labelNames: ['model', 'kind'] as const,
  registers: [registry],
});

export const cacheHits = new Counter({
  name: 'atrium_answer_cache_hits_total',
  help: 'Answers replayed from the answer cache instead of calling the upstream, per model.',
  labelNames: ['model'] as const,
  registers: [registry],
});

export const jobFailures = new Counter({
  name: 'atrium_job_failures_total',
  help: 'Job attempts that failed in this process, per job kind.',
  labelNames: ['name'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'atrium_http_request_duration_seconds',
  help: 'HTTP request latency by method, route and status (streamed answers: until the stream ends).',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export type JobCountsSource = () => Promise<{ name: string; queued: number; running: number; failed: number }[]>;
export type PoolStatsSource = () => Promise<{ total: number; idle: number; waiting: number }>;

const jobSources = new Set<JobCountsSource>();
const poolSources = new Set<PoolStatsSource>();

new Gauge({
  name: 'atrium_jobs',
  help: 'Jobs in the queue by kind and state (queued includes those waiting for a retry; failed are kept 7 days).',
  labelNames: ['name', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of jobSources) {
      // A scrape must answer even while the database does not: the jobs series are then missing.
      const counts = await source().catch(() => []);
      for (const { name, queued, running, failed } of counts) {
        this.inc({ name, state: 'queued' }, queued);
        this.inc({ name, state: 'running' }, running);
        this.inc({ name, state: 'failed' }, failed);
      }
    }
  },
});

new Gauge({
  name: 'atrium_db_pool_connections',
  help: 'Database connections of this process: total open, idle, and requests waiting for one.',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of poolSources) {
      const stats = await source().catch(() => null);
      if (!stats) continue;
      this.inc({ state: 'total' }, stats.total);
      this.inc({ state: 'idle' }, stats.idle);
      this.inc({ state: 'in_use' }, stats.total - stats.idle);
      this.inc({ state: 'waiting' }, stats.waiting);
    }
  },
});

/** Lets a runtime's job queue and database pool be read at scrape time; returns the undo. */
export function watchRuntime(sources: { jobs: JobCountsSource; pool: PoolStatsSource }) {
  jobSources.add(sources.jobs);
  poolSources.add(sources.pool);
  return () => {
    jobSources.delete(sources.jobs);
    poolSources.delete(sources.pool);
  };
}

/** Records one finished answer of any channel (web chat, OpenAI-compatible API). */
export function recordAnswer(modelId: string, result: AnswerResult, options: { cacheHit?: boolean } = {}) {
  if (options.cacheHit) {
    cacheHits.inc({ model: modelId });
    return;
  }
  const status = result.aborted ? 'aborted' : result.error ? 'failed' : 'completed';
  answerDuration.observe({ model: modelId, status }, result.latencyMs / 1000);
  if (result.firstTokenMs !== null) answerFirstToken.observe({ model: modelId }, result.firstTokenMs / 1000);
  if (result.error) upstreamErrors.inc({ model: modelId, kind: result.error.kind });
  const generatingMs = result.firstTokenMs === null ? 0 : result.latencyMs - result.firstTokenMs;
  const tokens = result.usage?.completionTokens ?? estimateTokens(result.text);
  if (generatingMs > 0 && tokens > 0) answerTokensPerSecond.observe({ model: modelId }, tokens / (generatingMs / 1000));
}
