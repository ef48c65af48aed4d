import { MAX_BATCH_TAKES, type BatchEnqueueResponse, type EnqueueResponse, type ResolvedInputs, type ReviewNote } from '../../shared/generation/index.js';
import { usdText } from '../../shared/money.js';
import type { JobsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import type { GenerationDeps } from './deps.js';
import { jobByIdempotencyKey, queueJobs, type BoardSpend } from './jobs.queries.js';
import { resolveShot, snapshotFor, type Resolution } from './resolve.js';

export interface EnqueueInput {
  boardId: string;
  shotId: string;
  userId: string;
  model?: string;
  /** The first take's seed; the others in a batch take the next ones. */
  seed?: number;
  idempotencyKey?: string;
  /** The person saw "no price known" for this model and queues it anyway. */
  confirmUnpriced?: boolean;
  /** "Regenerate from note": the comment added to the prompt, which the take then answers. */
  note?: ReviewNote;
}

/**
 * Resolves a shot into a job and queues it: the same idempotency key returns the same job, and
 * the board budget is a hard cap checked inside the insert's write transaction (so 20 enqueues at
 * once cannot together pass it). The take appears in the document as 'queued' at once.
 */
export async function enqueueGeneration(deps: GenerationDeps, input: EnqueueInput): Promise<EnqueueResponse> {
  const { takes } = await enqueueTakes(deps, input, 1);
  return takes[0]!;
}

/**
 * `count` takes of one shot, each with its own seed (consecutive from the first), queued all or
 * none: priced once, the budget checked against their total before any is queued.
 */
export async function enqueueTakes(deps: GenerationDeps, input: EnqueueInput, count: number): Promise<BatchEnqueueResponse> {
  const { db, clock } = deps;
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH_TAKES) {
    throw new AppError('invalid_field', `count: a whole number of takes from 1 to ${MAX_BATCH_TAKES}`, { field: 'count' });
  }
  const keys = input.idempotencyKey ? Array.from({ length: count }, (_, i) => (i === 0 ? input.idempotencyKey! : `${input.idempotencyKey}#${i}`)) : null;
  if (keys) {
    const existing = await findByKey(deps, input);
    if (existing) return answerFor(await Promise.all(keys.map((k) => jobByIdempotencyKey(db, input.boardId, input.userId, k))));
  }
  // A take is stored as a clip and four derived files: none is queued while nothing would fit.
  await deps.storage.assertRoom({ userId: input.userId, boardId: input.boardId });
  const snap = await deps.hub.read(input.boardId, (doc) => snapshotFor(doc, input.shotId));
  const res = await resolveShot(db, deps.catalog, input.boardId, snap, { model: input.model, seed: input.seed, ...(input.note ? { note: input.note } : {}) });
  // A model without a rate is never priced by a guess: the person confirms it, knowing that its
  // cost is not known and so cannot be counted against the budget (the check below stays exact).
  if (!res.estimate.known && !input.confirmUnpriced) {
    throw new AppError('conflict', `No price is known for ${res.target.model.label}: ${res.estimate.reason}. Confirm to queue it anyway; its cost will not count against the budget.`, {
      field: 'confirmUnpriced',
      details: { reason: 'price_unknown', estimate: res.estimate },
    });
  }
  const estimate = res.estimate.known ? res.estimate.totalMicroUsd : 0;
  const total = estimate * count;
  const first = res.request.seed ?? (res.target.model.supportsSeed ? Math.floor(Math.random() * 2 ** 31) : null);
  const now = clock.now();
  const jobs: JobsTable[] = Array.from({ length: count }, (_, i) => {
    const seed = first === null ? null : (first + i) % 2 ** 32;
    return jobRow(deps, input, res, { seed, key: keys?.[i] ?? null, now });
  });
  const what = count === 1 ? 'This generation is' : `These ${count} takes are`;
  const admit = budgetCheck(res.budgetMicroUsd, total, what);
  const outcome = await queueJobs(db, jobs, admit);
  if (outcome.existing) return answerFor(outcome.existing);

  await announce(deps, input, jobs, total, outcome.spend, res.budgetMicroUsd);
  return {
    takes: jobs.map((job) => ({ jobId: job.id, takeId: job.take_id, estimateMicroUsd: estimate, estimate: res.estimate, seed: job.seed })),
    totalMicroUsd: total,
  };
}

/** One queued job of `res` (its take written next by take-mirror.ts); `waitsFor` and `nextAttemptAt` for a chain batch's waiting take. */
export function jobRow(
  deps: GenerationDeps,
  input: Pick<EnqueueInput, 'boardId' | 'userId'>,
  res: Pick<Resolution, 'request' | 'resolved' | 'target' | 'shot' | 'estimate'>,
  o: { seed: number | null; key: string | null; now: number; resolved?: ResolvedInputs; nextAttemptAt?: number },
): JobsTable {
  const request = o.seed === null ? res.request : { ...res.request, seed: o.seed };
  return {
    id: newId(),
    board_id: input.boardId,
    shot_id: res.shot.id,
    take_id: newId(),
    created_by: input.userId,
    model: res.target.model.id,
    provider: res.target.model.provider,
    status: 'queued',
    phase: null,
    request: JSON.stringify(request),
    resolved: JSON.stringify(o.resolved ?? res.resolved),
    result: null,
    estimate_micro_usd: res.estimate.known ? res.estimate.totalMicroUsd : 0,
    cost_micro_usd: null,
    seed: o.seed,
    idempotency_key: o.key,
    attempts: 0,
    max_attempts: deps.maxAttempts,
    next_attempt_at: o.nextAttemptAt ?? o.now,
    lease_owner: null,
    lease_expires_at: null,
    provider_job_id: null,
    cancel_requested: 0,
    error: null,
    created_at: o.now,
    started_at: null,
    finished_at: null,
    updated_at: o.now,
    doc_status: null, // the take is written next (take-mirror.ts)
  };
}

/**
 * The budget as a hard cap on `total` (integer micro-dollars: exact sums, no tolerance), checked
 * inside the insert's write transaction; null without a budget.
 */
export function budgetCheck(budget: number | null, total: number, what: string): ((spend: BoardSpend) => void) | null {
  if (budget === null) return null;
  return ({ spentMicroUsd, committedMicroUsd }) => {
    const before = spentMicroUsd + committedMicroUsd;
    if (before + total <= budget) return;
    const left = Math.max(0, budget - before);
    throw new AppError(
      'over_budget',
      `${what} estimated at ${usdText(total)} but only ${usdText(left)} of the ${usdText(budget)} budget is left (${usdText(spentMicroUsd)} spent, ${usdText(committedMicroUsd)} queued or running).`,
      { details: { estimateMicroUsd: total, budgetMicroUsd: budget, spentMicroUsd, committedMicroUsd, remainingMicroUsd: left } },
    );
  };
}

/** After queueing: each take written as queued, its event sent, the worker woken, spend notices. */
export async function announce(deps: GenerationDeps, input: Pick<EnqueueInput, 'boardId' | 'userId'>, jobs: JobsTable[], total: number, spend: BoardSpend | null, budget: number | null): Promise<void> {
  for (const job of jobs) {
    await deps.takes.mirror(job.id);
    deps.events.publish(input.boardId, { jobId: job.id, shotId: job.shot_id, takeId: job.take_id, status: 'queued' });
  }
  deps.wake();
  if (spend && budget !== null) {
    const before = spend.spentMicroUsd + spend.committedMicroUsd;
    void deps.notifier?.spendQueued(input.boardId, input.userId, before, before + total, budget);
    deps.webhooks?.spendQueued(input.boardId, before, before + total, budget);
  }
}

async function findByKey(deps: GenerationDeps, input: EnqueueInput) {
  const row = await jobByIdempotencyKey(deps.db, input.boardId, input.userId, input.idempotencyKey!);
  if (!row) return null;
  if (row.shot_id !== input.shotId) throw new AppError('conflict', 'This idempotency key was already used for another shot', { field: 'idempotencyKey' });
  return row;
}

/** The answer for jobs already queued under the same key: the same as when they were queued. */
export function answerFor(rows: (Pick<JobsTable, 'id' | 'take_id' | 'estimate_micro_usd' | 'resolved' | 'seed'> | undefined)[]): BatchEnqueueResponse {
  const takes = rows.filter((r) => r !== undefined).map((row) => {
    const estimate = (JSON.parse(row.resolved) as ResolvedInputs).price?.estimate;
    return { jobId: row.id, takeId: row.take_id, estimateMicroUsd: row.estimate_micro_usd, seed: row.seed, ...(estimate ? { estimate } : {}) };
  });
  return { takes, totalMicroUsd: takes.reduce((sum, t) => sum + t.estimateMicroUsd, 0) };
}
