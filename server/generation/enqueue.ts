import { roundUsd, type EnqueueResponse } from '../../shared/generation/index.js';
import type { JobsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import type { GenerationDeps } from './deps.js';
import { boardSpend, insertJob, jobByIdempotencyKey } from './jobs.queries.js';
import { resolveShot, snapshotFor } from './resolve.js';

export interface EnqueueInput {
  boardId: string;
  shotId: string;
  userId: string;
  model?: string;
  seed?: number;
  idempotencyKey?: string;
}

/**
 * Resolves a shot into a job and queues it: the same idempotency key returns the same job, and
 * the board budget is a hard cap checked inside the insert's write transaction (so 20 enqueues at
 * once cannot together pass it). The take appears in the document as 'queued' at once.
 */
export async function enqueueGeneration(deps: GenerationDeps, input: EnqueueInput): Promise<EnqueueResponse> {
  const { db, clock } = deps;
  if (input.idempotencyKey) {
    const existing = await findByKey(deps, input);
    if (existing) return existing;
  }
  // A take is stored as a clip and four derived files: none is queued while nothing would fit.
  await deps.storage.assertRoom({ userId: input.userId, boardId: input.boardId });
  const snap = await deps.hub.read(input.boardId, (doc) => snapshotFor(doc, input.shotId));
  const res = await resolveShot(db, deps.catalog, input.boardId, snap, { model: input.model, seed: input.seed });
  const estimate = deps.catalog.estimate(res.request);
  const seed = res.request.seed ?? (res.target.model.supportsSeed ? Math.floor(Math.random() * 2 ** 31) : null);
  if (seed !== null) res.request.seed = seed;
  const now = clock.now();
  const job: JobsTable = {
    id: newId(),
    board_id: input.boardId,
    shot_id: input.shotId,
    take_id: newId(),
    created_by: input.userId,
    model: res.target.model.id,
    provider: res.target.model.provider,
    status: 'queued',
    phase: null,
    request: JSON.stringify(res.request),
    resolved: JSON.stringify(res.resolved),
    result: null,
    estimate_usd: estimate,
    cost_usd: null,
    seed,
    idempotency_key: input.idempotencyKey ?? null,
    attempts: 0,
    max_attempts: deps.maxAttempts,
    next_attempt_at: now,
    lease_owner: null,
    lease_expires_at: null,
    provider_job_id: null,
    cancel_requested: 0,
    error: null,
    created_at: now,
    started_at: null,
    finished_at: null,
    updated_at: now,
    doc_status: null, // the take is written next (take-mirror.ts)
  };

  const outcome = await db.transaction().execute(async (tx) => {
    if (input.idempotencyKey) {
      const same = await jobByIdempotencyKey(tx, input.boardId, input.userId, input.idempotencyKey);
      if (same) return { existing: same };
    }
    let spend: { beforeUsd: number; budgetUsd: number } | null = null;
    if (res.budgetUsd !== null) {
      const { spentUsd, committedUsd } = await boardSpend(tx, input.boardId);
      spend = { beforeUsd: spentUsd + committedUsd, budgetUsd: res.budgetUsd };
      if (spentUsd + committedUsd + estimate > res.budgetUsd + 1e-9) {
        const left = roundUsd(Math.max(0, res.budgetUsd - spentUsd - committedUsd));
        throw new AppError(
          'over_budget',
          `This generation is estimated at $${estimate.toFixed(2)} but only $${left.toFixed(2)} of the $${res.budgetUsd.toFixed(2)} budget is left ($${roundUsd(spentUsd).toFixed(2)} spent, $${roundUsd(committedUsd).toFixed(2)} queued or running).`,
          { details: { estimateUsd: estimate, budgetUsd: res.budgetUsd, spentUsd: roundUsd(spentUsd), committedUsd: roundUsd(committedUsd), remainingUsd: left } },
        );
      }
    }
    await insertJob(tx, job);
    return { existing: null, spend };
  });
  if (outcome.existing) return { jobId: outcome.existing.id, takeId: outcome.existing.take_id, estimateUsd: outcome.existing.estimate_usd };

  await deps.takes.mirror(job.id);
  deps.events.publish(input.boardId, { jobId: job.id, shotId: input.shotId, takeId: job.take_id, status: 'queued' });
  deps.wake();
  const { spend } = outcome;
  if (spend) void deps.notifier?.spendQueued(input.boardId, input.userId, spend.beforeUsd, spend.beforeUsd + estimate, spend.budgetUsd);
  return { jobId: job.id, takeId: job.take_id, estimateUsd: estimate };
}

async function findByKey(deps: GenerationDeps, input: EnqueueInput): Promise<EnqueueResponse | null> {
  const row = await jobByIdempotencyKey(deps.db, input.boardId, input.userId, input.idempotencyKey!);
  if (!row) return null;
  if (row.shot_id !== input.shotId) throw new AppError('conflict', 'This idempotency key was already used for another shot', { field: 'idempotencyKey' });
  return { jobId: row.id, takeId: row.take_id, estimateUsd: row.estimate_usd };
}
