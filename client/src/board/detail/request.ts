/**
 * The generation request a shot would make, as the client can foresee it, so validation messages
 * and the cost estimate show before anyone spends money. The server resolves the real inputs at
 * enqueue time (GET /api/jobs/:id shows them) and validates again.
 */
import type { Asset } from '../../../../shared/api';
import type { BoardState } from '../doc-bridge';
import type { ShotView } from '../../../../shared/doc';
import {
  DEFAULT_PRICES,
  GENERATION_MODES,
  RESOLUTIONS,
  estimateUsd,
  roundUsd,
  validateRequest,
  type ModelInfo,
  type VideoJobRequest,
} from '../../../../shared/generation';
import { ASPECT_RATIOS } from '../../../../shared/doc';

/** The tail the shot would inherit from the shot it continues from, if that shot has one. */
export function inheritedTail(state: BoardState, shot: ShotView): string | undefined {
  if (!shot.continuesFrom) return undefined;
  const source = state.shots.find((s) => s.id === shot.continuesFrom);
  const take = source && state.takes[source.id]?.find((t) => t.id === source.selectedTake);
  return take?.tail;
}

/** Asset ids of the references assigned to `shot`, at their pinned (or current) versions. */
export function assignedAssets(state: BoardState, shot: ShotView): string[] {
  const out: string[] = [];
  for (const [refId, pinned] of Object.entries(shot.refs)) {
    const ref = state.references.find((r) => r.id === refId);
    const version = ref?.versions.find((v) => v.id === (pinned || ref.currentVersion));
    if (version) out.push(...version.assets);
  }
  return out;
}

/** The request this shot would send today. */
export function draftRequest(state: BoardState, shot: ShotView, assets: readonly Asset[]): VideoJobRequest {
  const kindOf = (id: string) => assets.find((a) => a.id === id)?.kind ?? 'image';
  const tail = inheritedTail(state, shot);
  const req: VideoJobRequest = {
    model: shot.model,
    mode: shot.mode,
    prompt: shot.prompt,
    durationSec: shot.durationSec,
    aspectRatio: state.meta.aspectRatio,
  };
  if (shot.mode === 'image') {
    const first = shot.startFrame ?? tail;
    if (first) req.firstFrame = { assetId: first };
    if (shot.endFrame) req.lastFrame = { assetId: shot.endFrame };
  }
  if (shot.mode === 'reference') {
    const ids = assignedAssets(state, shot);
    req.referenceImages = ids.filter((id) => kindOf(id) === 'image').map((assetId) => ({ media: { assetId } }));
    req.referenceVideos = ids.filter((id) => kindOf(id) === 'video').map((assetId) => ({ assetId }));
  }
  if ((shot.mode === 'reference' || shot.mode === 'extend') && tail) {
    req.referenceVideos = [...(req.referenceVideos ?? []), { assetId: tail }];
  }
  return req;
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
  supportsLastFrame: true,
  framesExcludeReferences: false,
  durations: { kind: 'range', min: 1, max: 60 },
  aspectRatios: ASPECT_RATIOS,
  resolutions: RESOLUTIONS,
  supportsSeed: true,
  supportsAudio: true,
  usdPerSecond: null,
  priceAsOf: null,
};

/** Problems with the shot's request, in words; the model's limits apply when it is known. */
export function problems(req: VideoJobRequest, model: (ModelInfo & { available?: boolean; reason?: string }) | undefined): string[] {
  const out = validateRequest(req, model ?? ANY_MODEL);
  if (!req.model) out.unshift('Choose a model for this shot.');
  if (model?.available === false) out.unshift(`${model.label} cannot run on this server${model.reason ? `: ${model.reason}` : ''}.`);
  return out;
}

/** Estimated cost in USD, or null when no price is known for the model. */
export function estimate(req: VideoJobRequest, model: ModelInfo | undefined): number | null {
  if (model?.usdPerSecond != null) return roundUsd(model.usdPerSecond * req.durationSec);
  return estimateUsd(DEFAULT_PRICES, req);
}
