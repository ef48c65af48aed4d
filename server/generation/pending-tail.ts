/**
 * A chain batch's downstream take is queued before the upstream take it continues exists: its
 * request names the tail by these placeholders, and it waits (`WAITING_AT`) until that take
 * finishes. `fillTail` then puts the finished take's tail clip and last-frame still where the
 * placeholders were, in the request, the chain record and what the take says it was sent.
 */
import type { JobResult, ResolvedInputs, VideoJobRequest } from '../../shared/generation/index.js';
import type { JobsTable } from '../db/schema.js';

export const PENDING_TAIL = { clip: 'pending-tail-clip', frame: 'pending-tail-frame' } as const;

/**
 * `next_attempt_at` of a waiting job: later than any real time, so the queue never picks it (the
 * queue reads only jobs whose attempt is due) and its estimate still counts as committed spend.
 */
export const WAITING_AT = 8_640_000_000_000_000;

/** What a job still waiting for its upstream take waits for (its job, take and shot); undefined for any other job. */
export function waitingOn(job: Pick<JobsTable, 'status' | 'next_attempt_at' | 'resolved'>): { jobId: string; takeId: string; shotId: string } | undefined {
  if (job.status !== 'queued' || job.next_attempt_at !== WAITING_AT) return undefined;
  const w = (JSON.parse(job.resolved) as ResolvedInputs).waitsFor;
  return w && { jobId: w.jobId, takeId: w.takeId, shotId: w.chain.fromShotId };
}

/**
 * The waiting job's request and resolved inputs with `result`'s tail in place of the placeholders.
 * Throws when `resolved` has no `waitsFor` (it is not a waiting take's).
 */
export function fillTail(request: VideoJobRequest, resolved: ResolvedInputs, result: Pick<JobResult, 'tailAssetId' | 'tailFrameAssetId'>): { request: VideoJobRequest; resolved: ResolvedInputs } {
  const swap = <T extends { assetId: string }>(ref: T): T => {
    if (ref.assetId === PENDING_TAIL.clip) return { ...ref, assetId: result.tailAssetId };
    if (ref.assetId === PENDING_TAIL.frame) return { ...ref, assetId: result.tailFrameAssetId };
    return ref;
  };
  const filled: VideoJobRequest = {
    ...request,
    ...(request.firstFrame ? { firstFrame: swap(request.firstFrame) } : {}),
    ...(request.referenceVideos ? { referenceVideos: request.referenceVideos.map(swap) } : {}),
    ...(request.extendVideo ? { extendVideo: swap(request.extendVideo) } : {}),
  };
  const { waitsFor, ...rest } = resolved;
  // Without it the take would run with the placeholders or no tail at all: refuse, never treat it as ready.
  if (!waitsFor) throw new Error('a waiting chain-batch take has no waitsFor in its resolved inputs: it cannot be given its upstream take\'s tail');
  return {
    request: filled,
    resolved: {
      ...rest,
      chain: { ...waitsFor.chain, tailAssetId: result.tailAssetId, tailFrameAssetId: result.tailFrameAssetId },
      ...(rest.sent ? { sent: { ...rest.sent, tail: { ...waitsFor.sentTail, assetId: result.tailAssetId, frameAssetId: result.tailFrameAssetId } } } : {}),
    },
  };
}

/**
 * What a waiting take records until its upstream take finishes: no chain and no sent tail yet
 * (the take shows neither a placeholder id nor a stale tail), and what to fill in then. Throws
 * when `resolved` has no chain or no sent tail (a resolution made without the pending tail).
 */
export function waitingResolved(resolved: ResolvedInputs, upstream: { jobId: string; takeId: string }): ResolvedInputs {
  const { chain, sent, ...rest } = resolved;
  // A take with nothing to wait for would be queued waiting forever: the batch is refused instead.
  if (!chain || !sent?.tail) throw new Error(`a chain-batch take continuing take ${upstream.takeId} was resolved without its chain and tail: it cannot wait for that take`);
  const { tail, ...sentRest } = sent;
  const { tailAssetId: _c, tailFrameAssetId: _f, ...chainRest } = chain;
  const { assetId: _a, frameAssetId: _fa, ...tailRest } = tail;
  return { ...rest, sent: sentRest, waitsFor: { jobId: upstream.jobId, takeId: upstream.takeId, chain: { ...chainRest, takeId: upstream.takeId }, sentTail: tailRest } };
}
