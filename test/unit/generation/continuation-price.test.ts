/**
 * A chained shot's price per way of continuing its upstream clip: native extend (Veo 3.1 on
 * Vertex), reference video (Seedance 2.0 on BytePlus, Kling 3.0 Omni) and last frame as first frame,
 * each through the same path the server takes (planSend -> applySend -> priceInputFor ->
 * estimatePrice). Worked examples with their sources; docs/providers.md "Prices" lists the same
 * rates and marks the unverified ones.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, PROVIDERS } from '../../../server/generation/providers/registry.js';
import { applySend, planSend, priceInputFor, type SendPlan } from '../../../shared/generation/index.js';
import { estimatePrice, priceModel, type PriceEstimate } from '../../../shared/generation/prices.js';
import type { ModelInfo } from '../../../shared/generation/types.js';

function model(id: string): ModelInfo {
  const entry = PROVIDERS.find((p) => p.models.some((m) => m.id === id))!;
  return priceModel(entry.models.find((m) => m.id === id)!, entry.id, DEFAULT_PRICES);
}

/** A chained text shot of `seconds` on `id`, its upstream tail 3 s long. */
function chained(id: string, seconds: number, continueBy?: 'last_frame'): { plan: SendPlan; estimate: PriceEstimate & { known: true } } {
  const m = model(id);
  const plan = planSend({
    shot: { mode: 'text', refs: {}, durationSec: seconds },
    references: [],
    model: m,
    assetKind: () => 'video',
    tail: { assetId: 'tail', frameAssetId: 'tail-frame', seconds: 3 },
    ...(continueBy ? { continueBy } : {}),
  });
  const req = applySend({ model: id, mode: 'text', prompt: 'She keeps walking', durationSec: seconds, aspectRatio: '16:9', resolution: '720p' }, plan);
  const estimate = estimatePrice(DEFAULT_PRICES, priceInputFor(req, plan, () => undefined));
  if (!estimate.known) throw new Error(estimate.reason);
  return { plan, estimate };
}
const parts = (e: PriceEstimate & { known: true }) => e.parts.map((p) => [p.kind, p.microUsd]);

describe('native extend: Veo 3.1 on Vertex AI', () => {
  it('extends a 7 s chained shot and bills the 7 s it adds, not the clip extended', () => {
    // Rate: about $0.40/s for Veo 3.1 standard with audio (2026-12 pages, UNVERIFIED). 7 s x $0.40 = $2.80.
    const { plan, estimate } = chained('vertex:veo-3.1-generate-001', 7);
    expect(plan).toMatchObject({ mode: 'extend', tail: { as: 'extend' } });
    expect(parts(estimate)).toEqual([['output', 2_800_000], ['continuation', 0]]);
    expect(estimate.parts[1]!.label).toBe('native extend of the chained tail (3 s): the clip extended is not billed, only the seconds added');
    expect(estimate.unverified).toBe(true);
  });

  it('continues a shot of another length from the last frame, and says why it did not extend', () => {
    // 8 s is not an extension's length (about 7 s per call, UNVERIFIED): 8 s x $0.40 = $3.20.
    const { plan, estimate } = chained('vertex:veo-3.1-generate-001', 8);
    expect(plan).toMatchObject({ mode: 'image', tail: { as: 'start_frame' } });
    expect(plan.left).toContainEqual({ what: 'native extend', why: 'Veo 3.1 (Vertex) extends a clip by 7 s; this shot is 8 s' });
    expect(parts(estimate)).toEqual([['output', 3_200_000], ['continuation', 0]]);
  });
});

describe('reference video: Seedance 2.0 on BytePlus (tokens, input video billed)', () => {
  const seedance = 'ark:dreamina-seedance-2-0-260128';

  it('bills the 3 s tail as input video, at the video-input rate, up to the minimum', () => {
    // Tokens = seconds x 1280 x 720 x 24 / 1024 (+1 closing frame on the output; a reseller's
    // billing guide of 2026-06-18). 5 s out: 121 frames = 108,900 tokens; the 3 s tail: 72 frames =
    // 64,800; with video input the input is billed as at least the output's 5 s (the minimum,
    // UNVERIFIED): 43,200 more. 216,900 tokens x $4.00/M (28 CNY at 7 CNY/USD) = $0.8676.
    const { plan, estimate } = chained(seedance, 5);
    expect(plan.tail?.as).toBe('reference_video');
    expect(estimate.parts.map((p) => [p.kind, p.tokens])).toEqual([['output', 108_900], ['input_video', 64_800], ['minimum', 43_200]]);
    expect(estimate.totalMicroUsd).toBe(867_600);
  });

  it('leaves the shot’s own start frame out, since Seedance 2.0 takes frames or reference videos, not both', () => {
    const m = model(seedance);
    const plan = planSend({ shot: { mode: 'image', startFrame: 'own-frame', refs: {}, durationSec: 5 }, references: [], model: m, assetKind: () => 'image', tail: { assetId: 'tail', frameAssetId: 'tail-frame', seconds: 3 } });
    expect(plan.frames).toEqual([]);
    expect(plan.mode).toBe('reference');
    expect(plan.left).toEqual([{ what: 'start frame', why: 'Seedance 2.0 (BytePlus) cannot combine frames with the chained tail sent as a reference video' }]);
  });

  it('costs less from the last frame: output tokens only, at the plain rate', () => {
    // 108,900 tokens x $6.571429/M (46 CNY at 7 CNY/USD) = $0.715629.
    const { plan, estimate } = chained(seedance, 5, 'last_frame');
    expect(plan.tail?.as).toBe('start_frame');
    expect(plan.left).toContainEqual({ what: 'the tail as a reference video', why: 'the last frame is asked for instead' });
    expect(parts(estimate)).toEqual([['output', 715_629], ['continuation', 0]]);
  });
});

describe('reference video: Kling 3.0 Omni (per clip, sound off with a video)', () => {
  const omni = 'kling:kling-v3-omni';

  it('sends the tail as its reference video and is priced silent, since Omni makes no sound then', () => {
    // A reseller's fixed Kling 3.0 prices (2026-12, std mode, UNVERIFIED, applied to Omni):
    // $0.1764/s silent = $0.882 per 5 s clip; with audio $0.2646/s = $1.323.
    const { plan, estimate } = chained(omni, 5);
    expect(plan.tail?.as).toBe('reference_video');
    expect(plan.left).toContainEqual({ what: 'generated sound', why: 'Kling 3.0 Omni (name unverified) makes no sound when a reference video is sent' });
    expect(parts(estimate)).toEqual([['output', 882_000], ['input_video', 0]]);
    expect(estimate.parts[0]!.label).toBe('one 5 s clip');
  });

  it('from the last frame it keeps its sound, at the audio price', () => {
    const { estimate } = chained(omni, 5, 'last_frame');
    expect(parts(estimate)).toEqual([['output', 1_323_000], ['continuation', 0]]);
    expect(estimate.parts[0]!.label).toBe('one 5 s clip with audio');
  });
});

describe('last frame as first frame: a model with no native path', () => {
  it('Kling 3 takes the last frame; the breakdown names it at no charge of its own', () => {
    const { plan, estimate } = chained('kling:kling-v3', 5);
    expect(plan).toMatchObject({ mode: 'image', tail: { as: 'start_frame' } });
    expect(plan.left).toEqual([]);
    expect(estimate.parts[1]).toMatchObject({ kind: 'continuation', microUsd: 0, label: "chained tail's last frame as the first frame: no charge of its own" });
    expect(estimate.totalMicroUsd).toBe(1_323_000);
  });
});
