import type { JobListEntry } from '../../../shared/api';
import { queueFinishSec, type JobEta } from '../../../shared/generation';

/** When this board's open jobs will be done, as the server measured it, and against the deadline. */
export interface QueueEstimate {
  open: number;
  /** Seconds from `fetchedAt` until the last open job should be done. */
  finishInSec: number;
  fetchedAt: number;
  /** Epoch ms when the last open job should be done (the answer's time plus its estimate). */
  doneAt: number;
  /** True when any open job's figure is a prior rather than measured on this instance. */
  guessed: boolean;
}

/**
 * The board's queue estimate from a jobs list fetched at `fetchedAt` (epoch ms): the latest
 * finish among its open jobs. Undefined while the list is not loaded.
 */
export function queueEstimate(jobs: readonly Pick<JobListEntry, 'id' | 'status' | 'eta'>[] | null, fetchedAt: number): QueueEstimate | undefined {
  if (!jobs) return undefined;
  const open = jobs.filter((j) => j.status === 'queued' || j.status === 'running');
  const etas = open.map((j) => j.eta);
  const finishInSec = queueFinishSec(etas);
  return {
    open: open.length,
    finishInSec,
    fetchedAt,
    doneAt: fetchedAt + finishInSec * 1000,
    guessed: etas.some((e: JobEta | undefined) => !e || e.basis === 'prior'),
  };
}

/**
 * Seconds left of an estimate made at `fetchedAt` (epoch ms), at `now`. A clock that ticks once a
 * second can read a little before the answer arrived: that never adds time.
 */
export function secondsLeft(finishInSec: number, fetchedAt: number, now: number): number {
  return Math.max(0, finishInSec - Math.max(0, now - fetchedAt) / 1000);
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
