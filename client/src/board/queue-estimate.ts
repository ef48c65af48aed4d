import type { JobSummary } from '../api/api-client';

const DEFAULT_RENDER_MS = 60_000;

/**
 * When the jobs still open will be done, in ms from now: open jobs one after another at the
 * average render time of the board's recent finished jobs (a minute when there are none yet).
 * Deliberately pessimistic (no parallelism assumed): a producer would rather finish early.
 * Undefined when the server has no jobs API.
 */
export function queueEstimateMs(jobs: readonly JobSummary[] | null): number | undefined {
  if (!jobs) return undefined;
  const open = jobs.filter((j) => j.status === 'queued' || j.status === 'running').length;
  if (open === 0) return 0;
  const spans = jobs
    .filter((j) => j.status === 'succeeded' && j.startedAt && j.finishedAt)
    .slice(-10)
    .map((j) => Date.parse(j.finishedAt!) - Date.parse(j.startedAt!))
    .filter((ms) => Number.isFinite(ms) && ms > 0);
  const avg = spans.length ? spans.reduce((a, c) => a + c, 0) / spans.length : DEFAULT_RENDER_MS;
  return Math.round(open * avg);
}
