/**
 * A chain batch's waiting take (server/generation/pending-tail.ts): queued with placeholders, filled
 * with its upstream take's tail when that take finishes. Resolved inputs that are not a waiting
 * take's (no `waitsFor`, or a resolution without the pending tail) are refused with a clear error,
 * never treated as ready: the take would otherwise be sent with placeholder ids or wait forever.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedInputs, VideoJobRequest } from '../../../shared/generation/index.js';
import { fillTail, PENDING_TAIL, waitingResolved } from '../../../server/generation/pending-tail.js';

const request: VideoJobRequest = { prompt: 'she walks in', durationSec: 4, firstFrame: { assetId: PENDING_TAIL.frame } } as VideoJobRequest;
const resolved: ResolvedInputs = {
  shotTitle: 'B',
  references: [],
  chain: { fromShotId: 'shot-a', takeId: '', tailAssetId: PENDING_TAIL.clip, tailFrameAssetId: PENDING_TAIL.frame, attachedAs: 'start_frame', tailSeconds: 1 },
  sent: { references: [], frames: [], left: [], tail: { assetId: PENDING_TAIL.clip, as: 'start_frame', seconds: 1, frameAssetId: PENDING_TAIL.frame } },
};
const result = { tailAssetId: 'tail-a1', tailFrameAssetId: 'frame-a1' };

describe('pending tail', () => {
  it('fills a waiting take with its upstream take’s tail', () => {
    const waiting = waitingResolved(resolved, { jobId: 'job-a1', takeId: 'take-a1' });
    expect(waiting.chain).toBeUndefined();
    expect(waiting.waitsFor).toMatchObject({ jobId: 'job-a1', takeId: 'take-a1' });
    const filled = fillTail(request, waiting, result);
    expect(filled.request.firstFrame).toEqual({ assetId: 'frame-a1' });
    expect(filled.resolved.waitsFor).toBeUndefined();
    expect(filled.resolved.chain).toMatchObject({ fromShotId: 'shot-a', takeId: 'take-a1', tailAssetId: 'tail-a1', tailFrameAssetId: 'frame-a1' });
    expect(filled.resolved.sent?.tail).toMatchObject({ assetId: 'tail-a1', frameAssetId: 'frame-a1', as: 'start_frame' });
  });

  it('refuses resolved inputs without their waitsFor instead of treating them as ready', () => {
    expect(() => fillTail(request, resolved, result)).toThrow(/has no waitsFor in its resolved inputs: it cannot be given its upstream take's tail/);
  });

  it('refuses to make a take wait when its resolution carries no chain or tail (it would wait forever)', () => {
    const { chain: _chain, ...noChain } = resolved;
    expect(() => waitingResolved(noChain, { jobId: 'job-a1', takeId: 'take-a1' })).toThrow(/continuing take take-a1 was resolved without its chain and tail/);
    const noTail: ResolvedInputs = { ...resolved, sent: { references: [], frames: [], left: [] } };
    expect(() => waitingResolved(noTail, { jobId: 'job-a1', takeId: 'take-a1' })).toThrow(/without its chain and tail/);
  });
});
