/**
 * The generation request a shot would make, as the client can foresee it, so validation messages,
 * what will be sent and left out, and the cost estimate show before anyone spends money. Built with
 * the server's own `planSend`; the server resolves the real inputs at enqueue time and validates again.
 */
import type { Asset } from '../../../../shared/api';
import type { BoardState } from '../doc-bridge';
import type { ShotView, TakeView } from '../../../../shared/doc';
import {
  applySend,
  DEFAULT_TAIL_SECONDS,
  planSend,
  type SendPlan,
  GENERATION_MODES,
  RESOLUTIONS,
  validateRequest,
  type ModelInfo,
  type VideoJobRequest,
} from '../../../../shared/generation';
import { ASPECT_RATIOS } from '../../../../shared/doc';

/** The selected take of the shot `shot` continues from, if any. */
export function sourceTake(state: BoardState, shot: ShotView): TakeView | undefined {
  if (!shot.continuesFrom) return undefined;
  const source = state.shots.find((s) => s.id === shot.continuesFrom);
  return source && state.takes[source.id]?.find((t) => t.id === source.selectedTake);
}

/**
 * What Generate would send for this shot today and what it would leave out (the server decides the
 * same way). `anticipateTail`: a chained shot whose source has no take yet is planned as if the
 * tail were there, as it will be when it is queued (for pricing a chain before its first take).
 */
export function sendPlanFor(
  state: BoardState,
  shot: ShotView,
  model: ModelInfo | undefined,
  assets: readonly Asset[],
  opts: { anticipateTail?: boolean; continueBy?: 'native' | 'last_frame' } = {},
): SendPlan {
  const kinds = new Map(assets.map((a) => [a.id, a.kind]));
  const take = sourceTake(state, shot);
  const tail = take?.tail
    ? { assetId: take.tail, frameAssetId: take.lastFrame ?? take.tail, seconds: DEFAULT_TAIL_SECONDS }
    : opts.anticipateTail && shot.continuesFrom
      ? { assetId: '', frameAssetId: '', seconds: DEFAULT_TAIL_SECONDS }
      : undefined;
  return planSend({
    shot,
    references: state.references,
    model: model ?? ANY_MODEL,
    ...(state.meta.bible ? { bible: state.meta.bible } : {}),
    assetKind: (id) => kinds.get(id),
    ...(tail ? { tail } : {}),
    ...(opts.continueBy ? { continueBy: opts.continueBy } : {}),
  });
}

/** The request this shot would send today. */
export function draftRequest(state: BoardState, shot: ShotView, plan: SendPlan): VideoJobRequest {
  const base: VideoJobRequest = {
    model: shot.model,
    mode: shot.mode,
    prompt: shot.prompt,
    durationSec: shot.durationSec,
    aspectRatio: state.meta.aspectRatio,
  };
  return applySend(base, plan);
}

/** A model that accepts everything: what is left to check is what the mode itself needs. */
const ANY_MODEL: ModelInfo = {
  id: '',
  provider: '',
  label: 'This model',
  modes: GENERATION_MODES,
  maxReferenceImages: Number.MAX_SAFE_INTEGER,
  acceptsReferenceVideo: true,
  maxReferenceVideos: Number.MAX_SAFE_INTEGER,
  maxAudioRefs: Number.MAX_SAFE_INTEGER,
  supportsLastFrame: true,
  framesExcludeReferences: false,
  durations: { kind: 'range', min: 1, max: 60 },
  aspectRatios: ASPECT_RATIOS,
  resolutions: RESOLUTIONS,
  supportsSeed: true,
  supportsAudio: true,
  microUsdPerSecond: null,
  priceAsOf: null,
  price: null,
};

/** Problems with the shot's request, in words; the model's limits apply when it is known. */
export function problems(req: VideoJobRequest, model: (ModelInfo & { available?: boolean; reason?: string }) | undefined): string[] {
  const out = validateRequest(req, model ?? ANY_MODEL);
  if (!req.model) out.unshift('Choose a model for this shot.');
  if (model?.available === false) out.unshift(`${model.label} cannot run on this server${model.reason ? `: ${model.reason}` : ''}.`);
  return out;
}
