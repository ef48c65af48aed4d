import type { EnqueueResponse, ResolvedInputs } from '../../shared/generation/index.js';
import { usdText } from '../../shared/money.js';
import type { JobsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import type { GenerationDeps } from './deps.js';
import { jobByIdempotencyKey, queueJob, type BoardSpend } from './jobs.queries.js';
import { resolveShot, snapshotFor } from './resolve.js';

export interface EnqueueInput {
  boardId: string;
  shotId: string;
  userId: string;
  model?: string;
  seed?: number;
  idempotencyKey?: string;
  /** The person saw "no price known" for this model and queues it anyway. */
  confirmUnpriced?: boolean;
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
  // A model without a rate is never priced by a guess: the person confirms it, knowing that its
  // cost is not known and so cannot be counted against the budget (the check below stays exact).
  if (!res.estimate.known && !input.confirmUnpriced) {
    throw new AppError('conflict', `No price is known for ${res.target.model.label}: ${res.estimate.reason}. Confirm to queue it anyway; its cost will not count against the budget.`, {
      field: 'confirmUnpriced',
      details: { reason: 'price_unknown', estimate: res.estimate },
    });
  }
  const estimate = res.estimate.known ? res.estimate.totalMicroUsd : 0;
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
    estimate_micro_usd: estimate,
    cost_micro_usd: null,
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

  // Integer micro-dollars throughout: the cap compares exact sums, no tolerance needed.
  const budget = res.budgetMicroUsd;
  const admit =
    budget === null
      ? null
      : ({ spentMicroUsd, committedMicroUsd }: BoardSpend) => {
          const before = spentMicroUsd + committedMicroUsd;
          if (before + estimate <= budget) return;
          const left = Math.max(0, budget - before);
          throw new AppError(
            'over_budget',
            `This generation is estimated at ${usdText(estimate)} but only ${usdText(left)} of the ${usdText(budget)} budget is left (${usdText(spentMicroUsd)} spent, ${usdText(committedMicroUsd)} queued or running).`,
            { details: { estimateMicroUsd: estimate, budgetMicroUsd: budget, spentMicroUsd, committedMicroUsd, remainingMicroUsd: left } },
          );
        };
  const outcome = await queueJob(db, job, admit);
  if (outcome.existing) return answerFor(outcome.existing);

  await deps.takes.mirror(job.id);
  deps.events.publish(input.boardId, { jobId: job.id, shotId: input.shotId, takeId: job.take_id, status: 'queued' });
  deps.wake();
  const { spend } = outcome;
  if (spend && budget !== null) {
    const before = spend.spentMicroUsd + spend.committedMicroUsd;
    void deps.notifier?.spendQueued(input.boardId, input.userId, before, before + estimate, budget);
  }
  return { jobId: job.id, takeId: job.take_id, estimateMicroUsd: estimate, estimate: res.estimate };
}

async function findByKey(deps: GenerationDeps, input: EnqueueInput): Promise<EnqueueResponse | null> {
  const row = await jobByIdempotencyKey(deps.db, input.boardId, input.userId, input.idempotencyKey!);
  if (!row) return null;
  if (row.shot_id !== input.shotId) throw new AppError('conflict', 'This idempotency key was already used for another shot', { field: 'idempotencyKey' });
  return answerFor(row);
}

/** The answer for a job already queued under the same key: the same as when it was queued. */
function answerFor(row: Pick<JobsTable, 'id' | 'take_id' | 'estimate_micro_usd' | 'resolved'>): EnqueueResponse {
  const estimate = (JSON.parse(row.resolved) as ResolvedInputs).price?.estimate;
  return { jobId: row.id, takeId: row.take_id, estimateMicroUsd: row.estimate_micro_usd, ...(estimate ? { estimate } : {}) };
}
