/**
 * "Queue N takes of every shot in a chain, in order" (docs/api.md, generate-chain-batch). The
 * chain is the shot asked for and every shot that continues from it, directly or further down,
 * upstream before downstream. Take k of a downstream shot continues from take k of its upstream
 * shot: it is queued at once, waiting, and becomes due when that take finishes, with that take's
 * tail (pending-tail.ts); when that take fails or is canceled, the takes waiting on it are
 * canceled with the reason. Every take is priced and the budget checked against the batch's
 * total in the one insert transaction: all of them are queued, or none. Each shot keeps its own
 * model, so each is priced by its own provider's formula and continues by its own path.
 */
import * as Y from 'yjs';
import { shotsInOrder } from '../../shared/doc/index.js';
import { downstreamChain, MAX_BATCH_TAKES, type ChainBatchResponse, type ResolvedInputs, type VideoJobRequest } from '../../shared/generation/index.js';
import type { JobsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import { dropWaiting, jobStatuses, startWaiting, waitingJobs } from './chain-batch.queries.js';
import type { GenerationDeps } from './deps.js';
import { announce, answerFor, budgetCheck, jobRow, type EnqueueInput } from './enqueue.js';
import { jobByIdempotencyKey, jobResult, queueJobs } from './jobs.queries.js';
import { fillTail, WAITING_AT, waitingResolved } from './pending-tail.js';
import { resolveShot, snapshotFor, type Resolution } from './resolve.js';

/** Most shots one chain batch queues takes of (with 8 takes each: 192 jobs at most). */
export const MAX_CHAIN_SHOTS = 24;

/** The chain a batch started at `startId` queues, read from the document. */
export function chainFrom(doc: Y.Doc, startId: string): { shotId: string; upstream: number | null }[] {
  return downstreamChain(shotsInOrder(doc), startId);
}

export async function enqueueChainTakes(deps: GenerationDeps, input: EnqueueInput, count: number): Promise<ChainBatchResponse> {
  const { db } = deps;
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH_TAKES) {
    throw new AppError('invalid_field', `count: a whole number of takes from 1 to ${MAX_BATCH_TAKES}`, { field: 'count' });
  }
  const read = await deps.hub.read(input.boardId, (doc) => chainFrom(doc, input.shotId).map((c) => ({ ...c, snap: snapshotFor(doc, c.shotId) })));
  if (read.length === 0) throw new AppError('not_found', 'Shot not found');
  if (read.length > MAX_CHAIN_SHOTS) {
    throw new AppError('invalid_field', `This chain has ${read.length} shots; a chain batch queues at most ${MAX_CHAIN_SHOTS}. Start it further down the chain.`, { field: 'shotId' });
  }
  // Keys: the batch's key for the first take of the first shot, then one per shot and take.
  const keyOf = (i: number, k: number) => (i === 0 && k === 0 ? input.idempotencyKey! : `${input.idempotencyKey}#chain${i}.${k}`);
  if (input.idempotencyKey) {
    const first = await jobByIdempotencyKey(db, input.boardId, input.userId, input.idempotencyKey);
    if (first) return chainAnswer(read, count, await Promise.all(read.flatMap((_, i) => Array.from({ length: count }, (_, k) => jobByIdempotencyKey(db, input.boardId, input.userId, keyOf(i, k))))));
  }
  await deps.storage.assertRoom({ userId: input.userId, boardId: input.boardId });

  // Each shot resolved once, with its own model; a downstream shot with its tail still to come.
  const resolved: Resolution[] = [];
  for (const c of read) {
    const upstreamSeconds = c.upstream === null ? undefined : resolved[c.upstream]!.shot.durationSec;
    const res = await resolveShot(db, deps.catalog, input.boardId, c.snap, upstreamSeconds === undefined ? {} : { pendingTail: { upstreamSeconds } }).catch((err: unknown) => {
      // Which shot of the chain stops the batch, in the person's words.
      if (err instanceof AppError && c.snap.shot) throw new AppError(err.code, `Shot "${c.snap.shot.title}": ${err.message}`, err.extra);
      throw err;
    });
    resolved.push(res);
  }
  const unpriced = resolved.filter((r) => !r.estimate.known);
  if (unpriced.length > 0 && !input.confirmUnpriced) {
    throw new AppError('conflict', `No price is known for ${unpriced.map((r) => `"${r.shot.title}" (${r.target.model.label})`).join(', ')}. Confirm to queue the chain anyway; those takes will not count against the budget.`, {
      field: 'confirmUnpriced',
      details: { reason: 'price_unknown', shots: unpriced.map((r) => r.shot.id) },
    });
  }
  const perTake = resolved.map((r) => (r.estimate.known ? r.estimate.totalMicroUsd : 0));
  const total = perTake.reduce((a, b) => a + b, 0) * count;

  const now = deps.clock.now();
  const firstSeeds = resolved.map((r) => r.request.seed ?? (r.target.model.supportsSeed ? Math.floor(Math.random() * 2 ** 31) : null));
  const jobs: JobsTable[] = [];
  const byTake: JobsTable[][] = [];
  for (let k = 0; k < count; k++) {
    const row: JobsTable[] = [];
    read.forEach((c, i) => {
      const res = resolved[i]!;
      const first = firstSeeds[i]!;
      const seed = first === null ? null : (first + k) % 2 ** 32;
      const up = c.upstream === null ? undefined : row[c.upstream]!;
      const job = jobRow(deps, input, res, {
        seed,
        key: input.idempotencyKey ? keyOf(i, k) : null,
        now,
        ...(up ? { resolved: waitingResolved(res.resolved, { jobId: up.id, takeId: up.take_id }), nextAttemptAt: WAITING_AT } : {}),
      });
      row.push(job);
    });
    byTake.push(row);
  }
  // The first shot's takes first, then each take's downstream ones: the batch's keys are checked by its first job.
  read.forEach((_, i) => byTake.forEach((row) => jobs.push(row[i]!)));

  const admit = budgetCheck(resolved[0]!.budgetMicroUsd, total, `These ${count * read.length} takes (${count} of each of ${read.length} shots) are`);
  const outcome = await queueJobs(db, jobs, admit);
  if (outcome.existing) return chainAnswer(read, count, outcome.existing);
  await announce(deps, input, jobs, total, outcome.spend, resolved[0]!.budgetMicroUsd);
  return {
    count,
    totalMicroUsd: total,
    shots: read.map((c, i) => ({
      shotId: c.shotId,
      title: resolved[i]!.shot.title,
      perTakeMicroUsd: perTake[i]!,
      estimate: resolved[i]!.estimate,
      takes: byTake.map((row) => ({ jobId: row[i]!.id, takeId: row[i]!.take_id, estimateMicroUsd: perTake[i]!, seed: row[i]!.seed })),
    })),
  };
}

/** The answer for a batch already queued under the same key (a retried request). */
function chainAnswer(read: { shotId: string; snap: { shot?: { title: string } | undefined } }[], count: number, rows: Parameters<typeof answerFor>[0]): ChainBatchResponse {
  const { takes, totalMicroUsd } = answerFor(rows);
  return {
    count,
    totalMicroUsd,
    shots: read.map((c, i) => {
      const mine = takes.slice(i * count, (i + 1) * count);
      return { shotId: c.shotId, title: c.snap.shot?.title ?? '', perTakeMicroUsd: mine[0]?.estimateMicroUsd ?? 0, takes: mine };
    }),
  };
}

/**
 * After a take finished: the takes of its chain batch waiting for it get its tail and become due;
 * after it failed or was canceled, they (and the takes waiting on them) are canceled with the reason.
 */
export async function chainStep(deps: GenerationDeps, job: Pick<JobsTable, 'id' | 'board_id'>, outcome: 'succeeded' | 'failed' | 'canceled'): Promise<void> {
  const waiting = (await waitingJobs(deps.db, job.board_id)).filter((w) => waitsOn(w.resolved) === job.id);
  if (waiting.length === 0) return;
  const now = deps.clock.now();
  if (outcome === 'succeeded') {
    const result = await jobResult(deps.db, job.id);
    if (!result) {
      // A succeeded job always has its result stored first (finalize.ts): without one there is no tail to continue.
      for (const w of waiting) await cancelWaiting(deps, w, 'not made: the take it continues has no clip stored');
      return;
    }
    for (const w of waiting) {
      const filled = fillTail(JSON.parse(w.request) as VideoJobRequest, JSON.parse(w.resolved) as ResolvedInputs, result);
      if (!(await startWaiting(deps.db, w.id, JSON.stringify(filled.request), JSON.stringify(filled.resolved), now))) continue;
      await deps.takes.mirror(w.id);
    }
    deps.wake();
    return;
  }
  const why = `not made: the take it continues ${outcome === 'failed' ? 'failed' : 'was canceled'}`;
  for (const w of waiting) await cancelWaiting(deps, w, why);
}

/** What a waiting take says when the take it continues no longer exists (its job row is gone). */
export const UPSTREAM_GONE = 'not made: the take it continues no longer exists, so there is nothing to continue from';

/** Cancels one waiting take with the reason (its take says it too), then what waits on it. */
async function cancelWaiting(deps: GenerationDeps, w: Pick<JobsTable, 'id' | 'board_id' | 'shot_id' | 'take_id'>, why: string): Promise<void> {
  if (!(await dropWaiting(deps.db, w.id, why, deps.clock.now()))) return;
  await deps.takes.mirror(w.id);
  deps.events.publish(w.board_id, { jobId: w.id, shotId: w.shot_id, takeId: w.take_id, status: 'canceled', error: why });
  await chainStep(deps, w, 'canceled');
}

/**
 * Waiting takes whose upstream take ended while nothing moved them on (its `chainStep` threw, or
 * the server stopped in between), and those whose upstream job is gone (canceled, with why). Run
 * at worker start and then on a slow timer (worker.ts), so none of them stays waiting, and counted
 * as committed spend against the budget, until a restart.
 */
export async function chainSweep(deps: GenerationDeps): Promise<void> {
  const waiting = await waitingJobs(deps.db);
  if (waiting.length === 0) return;
  const upstream = await jobStatuses(deps.db, [...new Set(waiting.map((w) => waitsOn(w.resolved)).filter((id): id is string => Boolean(id)))]);
  for (const u of upstream) {
    if (u.status === 'succeeded' || u.status === 'failed' || u.status === 'canceled') {
      await chainStep(deps, u, u.status).catch((err: unknown) => deps.log.warn('could not move a chain batch on', { jobId: u.id, err }));
    }
  }
  const found = new Set(upstream.map((u) => u.id));
  for (const w of waiting) {
    const up = waitsOn(w.resolved);
    if (up !== undefined && found.has(up)) continue;
    // Its upstream's row is gone (or it never named one): it can never be made.
    const why = up === undefined ? 'not made: it waited for a take it does not name' : UPSTREAM_GONE;
    await cancelWaiting(deps, w, why).catch((err: unknown) => deps.log.warn('could not cancel a chain batch take', { jobId: w.id, err }));
  }
}

function waitsOn(resolved: string): string | undefined {
  return (JSON.parse(resolved) as ResolvedInputs).waitsFor?.jobId;
}
