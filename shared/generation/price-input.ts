/**
 * What a job is priced on, read from the request a shot makes and its send plan: the output, the
 * videos it carries (the chained tail first, then clip references, each with its seconds, since
 * Seedance 2.0 bills input video too) and the reference images. One function for the server (the
 * estimate it stores and checks against the budget) and the client (the breakdown before queueing).
 */
import type { PriceInput } from './prices.js';
// The path (native extend, reference video, last frame) is priced by `estimatePrice`, part by part.
import type { SendPlan } from './send-plan.js';
import type { VideoJobRequest } from './types.js';

export function priceInputFor(req: VideoJobRequest, plan: Pick<SendPlan, 'tail' | 'references'>, clipSeconds: (assetId: string) => number | undefined): PriceInput {
  const videos: PriceInput['inputVideos'][number][] = [];
  // The tail's length as the caller knows it (a short upstream take has a shorter tail), else the planned seconds.
  const tailSeconds = plan.tail ? (clipSeconds(plan.tail.assetId) ?? plan.tail.seconds) : 0;
  // Only a tail sent as a reference video is input video a provider bills; an extended clip and a
  // last frame are named in the breakdown at no charge of their own (`continuation`).
  if (plan.tail?.as === 'reference_video') videos.push({ what: 'tail', label: 'chained tail', seconds: tailSeconds });
  for (const ref of plan.references) {
    for (const a of ref.assets) {
      if (a.as === 'clip') videos.push({ what: 'reference', label: `clip '${ref.name}'`, seconds: clipSeconds(a.assetId) ?? 0 });
    }
  }
  return {
    model: req.model,
    durationSec: req.durationSec,
    aspectRatio: req.aspectRatio,
    ...(req.resolution ? { resolution: req.resolution } : {}),
    ...(req.generateAudio !== undefined ? { generateAudio: req.generateAudio } : {}),
    inputVideos: videos,
    referenceImages: req.referenceImages?.length ?? 0,
    ...(plan.tail ? { continuation: { as: plan.tail.as, seconds: tailSeconds } } : {}),
  };
}
