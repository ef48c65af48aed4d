import type { TakePatch } from '../../shared/doc/index.js';
import type { ResolvedInputs, VideoJobRequest } from '../../shared/generation/index.js';
import type { JobsTable } from '../db/schema.js';

/**
 * The fields that make a take: every write of a job's take carries them, so the write can
 * create the take if this copy of the board has not seen it yet (it was queued on another
 * instance), and writing it twice gives the same take, not a second one.
 */
export function takeIdentity(job: Pick<JobsTable, 'id' | 'model' | 'request' | 'resolved' | 'created_by' | 'created_at' | 'seed'>): TakePatch {
  const request = JSON.parse(job.request) as VideoJobRequest;
  const { chain, sent, note } = JSON.parse(job.resolved) as ResolvedInputs;
  return {
    prompt: request.prompt,
    ...(sent ? { sent } : {}),
    // Which upstream take and tail this take was made from: the chain's freshness is judged by it.
    ...(chain
      ? { fromShot: chain.fromShotId, fromTake: chain.takeId, fromTail: chain.tailAssetId, tailAs: chain.attachedAs, tailSec: chain.tailSeconds }
      : {}),
    // Made from a review note: the take names the comment it answers (the comment shows "→ take N").
    ...(note ? { answers: note.commentId } : {}),
    jobId: job.id,
    model: job.model,
    durationSec: request.durationSec,
    createdBy: job.created_by,
    createdAt: new Date(job.created_at).toISOString(),
    ...(job.seed !== null ? { seed: job.seed } : {}),
  };
}
