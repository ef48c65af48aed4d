/**
 * The jobs table is the truth for a take's status; the board document shows it. Every write of a
 * job's take into the document goes through `mirror`, which reads the job's row as it is at that
 * moment and writes the take from it (status, error, cost, the clip and its files), so a late or
 * repeated write can only bring the document up to the row, never set it back.
 *
 * A failed write is logged and tried again (with a growing wait, re-reading the row each time);
 * after the last try it is logged as an error and left to the sweep: `doc_status` on the row says
 * what the document shows, and the sweep rewrites every take whose row moved past it (a write that
 * kept failing, or a server stopped between the row and the document).
 */
import { getShot, getTake, listTakes, upsertTake, type TakePatch, type TakeView } from '../../shared/doc/index.js';
import type { JobsTable } from '../db/schema.js';
import type { GenerationDeps } from './deps.js';
import { getJob, jobsWithTakeBehind, markMirrored, storedResult } from './jobs.queries.js';
import { takeIdentity } from './take-fields.js';

export interface TakeMirrorOptions {
  /** Tries after a failed write before it is left to the sweep (default 5). */
  retries: number;
  /** Wait before the first retry, doubled for each next one (default 500 ms). */
  retryBaseMs: number;
  /** How often the sweep looks for takes behind their job (default 15 s). */
  sweepMs: number;
  /** A row the sweep rewrites has not changed for this long: its own write had its chance (default 30 s). */
  sweepAfterMs: number;
}

export const DEFAULT_TAKE_MIRROR: TakeMirrorOptions = { retries: 5, retryBaseMs: 500, sweepMs: 15_000, sweepAfterMs: 30_000 };

export type TakeMirror = ReturnType<typeof createTakeMirror>;

export function createTakeMirror(deps: Pick<GenerationDeps, 'db' | 'hub' | 'log' | 'clock'>, options: Partial<TakeMirrorOptions> = {}) {
  const { db, hub, log, clock } = deps;
  const opts = { ...DEFAULT_TAKE_MIRROR, ...options };
  /** One write per job at a time, in call order: a slow write never lands after a newer one. */
  const writing = new Map<string, Promise<boolean>>();
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping = false;
  let closed = false;

  /** Brings the job's take in the document up to its row; true once written (or nothing to write). */
  function mirror(jobId: string): Promise<boolean> {
    const next = (writing.get(jobId) ?? Promise.resolve(true)).then(() => writeWithRetries(jobId));
    writing.set(jobId, next);
    void next.finally(() => {
      if (writing.get(jobId) === next) writing.delete(jobId);
    });
    return next;
  }

  async function writeWithRetries(jobId: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const job = await getJob(db, jobId);
        if (!job) return true; // its board was deleted, and its jobs with it
        await write(job);
        await markMirrored(db, job.id, job.status);
        if (attempt > 1) log.info('wrote a take into its board document after a failed write', { jobId, status: job.status, attempts: attempt });
        return true;
      } catch (err) {
        if (attempt > opts.retries || closed) {
          log.error('could not write a take into its board document; the sweep tries again', { jobId, attempts: attempt, err });
          return false;
        }
        const waitMs = opts.retryBaseMs * 2 ** (attempt - 1);
        log.warn('could not write a take into its board document; retrying', { jobId, attempt, waitMs, err });
        await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      }
    }
  }

  async function write(job: JobsTable): Promise<void> {
    let shotGone = false;
    await hub.change(job.board_id, (doc) => {
      // A shot deleted since has no take to show: there is nothing to write.
      if (!getShot(doc, job.shot_id)) {
        shotGone = true;
        return;
      }
      const known = getTake(doc, job.shot_id, job.take_id) !== undefined;
      // Numbered in the change that adds it, so two takes added at once differ.
      upsertTake(doc, job.shot_id, job.take_id, { ...takeFromJob(job), ...(known ? {} : { number: nextTakeNumber(listTakes(doc, job.shot_id)) }) });
    });
    if (shotGone) log.info('the shot of a job is gone; its take is not written', { jobId: job.id, shotId: job.shot_id });
  }

  /** Rewrites the takes the document shows behind their job, oldest first. */
  async function sweep(): Promise<void> {
    if (sweeping || closed) return;
    sweeping = true;
    try {
      for (const jobId of await jobsWithTakeBehind(db, clock.now() - opts.sweepAfterMs, 50)) {
        if (!writing.has(jobId)) await mirror(jobId);
      }
    } catch (err) {
      log.error('could not look for takes behind their jobs', { err });
    } finally {
      sweeping = false;
    }
  }

  return {
    mirror,
    sweep,
    /** Sweeps now and then every `sweepMs` (started with the worker). */
    startSweeping() {
      if (sweepTimer || closed) return;
      sweepTimer = setInterval(() => void sweep(), opts.sweepMs);
      sweepTimer.unref();
      void sweep();
    },
    /** No more retries or sweeps: writes still failing are left, logged, for the next start's sweep. */
    close() {
      closed = true;
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
    },
  };
}

/** The take as the job's row says it is. */
export function takeFromJob(job: JobsTable): TakePatch {
  const result = job.status === 'succeeded' ? storedResult(job.result) : null;
  return {
    ...takeIdentity(job),
    status: job.status,
    costMicroUsd: job.cost_micro_usd ?? 0,
    // A failed take explains itself, and so does one a chain batch canceled (the take it continued
    // failed); a retry's reason stays on the job until it fails for good.
    error: job.status === 'failed' || job.status === 'canceled' ? job.error : null,
    ...(result
      ? {
          clip: result.clipAssetId,
          poster: result.posterAssetId,
          tail: result.tailAssetId,
          lastFrame: result.tailFrameAssetId,
          ...(result.tailStartAssetId ? { tailStart: result.tailStartAssetId } : {}),
          durationSec: Math.round(result.durationSec * 1000) / 1000,
        }
      : {}),
  };
}

/** One more than the highest take number of the shot; takes from before numbering count by position. */
function nextTakeNumber(takes: readonly TakeView[]): number {
  return takes.reduce((max, t, i) => Math.max(max, t.number ?? i + 1), 0) + 1;
}
