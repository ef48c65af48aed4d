import type { JobSummary } from '../api/api-client';
import { queueFinishSec, type JobEta } from '../../../shared/generation';

/** When this board's open jobs will be done, as the server measured it, and against the deadline. */
export interface QueueEstimate {
  open: number;
  /** Epoch ms when the last open job should be done (the answer's time plus its estimate). */
  doneAt: number;
  /** True when any open job's figure is a prior rather than measured on this instance. */
  guessed: boolean;
}

/**
 * The board's queue estimate from a jobs list fetched at `fetchedAt` (epoch ms): the latest
 * finish among its open jobs. Undefined when the server has no jobs API.
 */
export function queueEstimate(jobs: readonly JobSummary[] | null, fetchedAt: number): QueueEstimate | undefined {
  if (!jobs) return undefined;
  const open = jobs.filter((j) => j.status === 'queued' || j.status === 'running');
  const etas = open.map((j) => j.eta);
  return {
    open: open.length,
    doneAt: fetchedAt + queueFinishSec(etas) * 1000,
    guessed: etas.some((e: JobEta | undefined) => !e || e.basis === 'prior'),
  };
}

/** Whether the queue is done by the sprint's end: undefined when no end is set or the queue is idle. */
export function beforeDeadline(est: QueueEstimate | undefined, sprintEnd: string | undefined): boolean | undefined {
  const end = sprintEnd ? Date.parse(sprintEnd) : NaN;
  if (!est || est.open === 0 || Number.isNaN(end)) return undefined;
  return est.doneAt <= end;
}

/** "median of 5 recent renders" / "a first guess: none finished yet", for a tooltip or a row. */
export function etaBasis(eta: JobEta): string {
  return eta.basis === 'measured'
    ? `typical ${eta.samples === 1 ? 'time of the last render' : `of the last ${eta.samples} renders`}`
    : 'a first guess: none of this model finished here yet';
}
