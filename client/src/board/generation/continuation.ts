/**
 * How a chained shot continues its upstream clip with its model, and what each way costs: the path
 * the send plan takes (native extend, the tail as reference video, or its last frame as the first
 * frame) and, where the model has a native path, the last-frame path beside it, so the difference
 * is visible before anyone queues. Pure: the same planSend and prices the server uses.
 */
import type { Asset } from '../../../../shared/api';
import type { ShotView } from '../../../../shared/doc';
import { CONTINUATION_WORDS, type ModelInfo, type PriceEstimate, type TailAttachment } from '../../../../shared/generation';
import type { BoardState } from '../doc-bridge';
import { sendPlanFor } from '../detail/request';
import { shotEstimate } from './estimate';

export interface ContinuationPath {
  as: TailAttachment;
  words: string;
  estimate: PriceEstimate | null;
  /** True for the path Generate takes. */
  used: boolean;
}

export interface Continuation {
  paths: ContinuationPath[];
  /** Why the model's own path is not taken, when it is not (e.g. the shot's length). */
  why?: string;
}

/** Undefined for a shot that continues nothing. */
export function continuationOf(state: BoardState, shot: ShotView, model: ModelInfo | undefined, assets: readonly Asset[]): Continuation | undefined {
  if (!shot.continuesFrom || !model) return undefined;
  const plan = sendPlanFor(state, shot, model, assets, { anticipateTail: true });
  const as = plan.tail?.as;
  if (!as) return undefined;
  const used: ContinuationPath = { as, words: CONTINUATION_WORDS[as], estimate: shotEstimate(state, shot, model, assets), used: true };
  const nativeLeft = plan.left.find((l) => l.what === 'native extend' || l.what === 'the tail as a reference video');
  if (as === 'start_frame') return { paths: [used], ...(nativeLeft ? { why: nativeLeft.why } : {}) };
  const frame: ContinuationPath = { as: 'start_frame', words: CONTINUATION_WORDS.start_frame, estimate: shotEstimate(state, shot, model, assets, 'last_frame'), used: false };
  return { paths: [used, frame] };
}
