/** Producer-readable validation per model capability, and the dated price table. */
import { describe, expect, it } from 'vitest';
import { estimatePrice, mergePrices, pricePerSecond, type PerSecondPrice } from '../../shared/generation/prices.js';
import type { ModelInfo, VideoJobRequest } from '../../shared/generation/types.js';
import { durationProblem, MAX_PROMPT_CHARS } from '../../shared/generation/validate.js';
import { validate } from '../../server/generation/providers/provider.js';
import { createProviders, DEFAULT_PRICES } from '../../server/generation/providers/registry.js';

const all = createProviders({
  ARK_API_KEY: 'k1',
  FAL_KEY: 'k2',
  REPLICATE_API_TOKEN: 'k3',
  RUNWAYML_API_SECRET: 'k4',
  GEMINI_API_KEY: 'k5',
  KLING_ACCESS_KEY: 'k6',
  KLING_SECRET_KEY: 'k7',
});
const model = (id: string): ModelInfo => {
  const found = all.forModel(id)?.model;
  if (!found) throw new Error(`no model ${id}`);
  return found;
};
const base = (m: string): VideoJobRequest => ({ model: m, mode: 'text', prompt: 'A quiet street', durationSec: 8, aspectRatio: '16:9' });

describe('validate', () => {
  it('accepts a request that fits', () => {
    expect(validate(base('veo:veo-3.1-generate-preview'), model('veo:veo-3.1-generate-preview'))).toEqual([]);
  });

  it('asks for a start frame in image mode and a prompt in text mode', () => {
    const m = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(m.id), mode: 'image' }, m)).toEqual(['Image mode needs a start frame: add one to the shot.']);
    expect(validate({ ...base(m.id), prompt: ' ' }, m)).toEqual(['Text mode needs a prompt: describe the shot.']);
  });

  it('refuses a prompt past the limit, saying the limit and the length', () => {
    const m = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(m.id), prompt: 'x'.repeat(MAX_PROMPT_CHARS) }, m)).toEqual([]);
    expect(validate({ ...base(m.id), prompt: 'x'.repeat(MAX_PROMPT_CHARS + 5) }, m)).toEqual([`Prompt: at most ${MAX_PROMPT_CHARS} characters; this one has ${MAX_PROMPT_CHARS + 5}. Shorten it.`]);
  });

  it('names modes the model cannot do', () => {
    const m = model('runway:gen4_turbo');
    expect(validate({ ...base(m.id), durationSec: 5 }, m)).toEqual([
      'Gen-4 Turbo (Runway) cannot make text-mode shots; it supports image.',
    ]);
  });

  it('caps reference images per model', () => {
    const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ media: { assetId: `r${i}` } }));
    const veo = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(veo.id), mode: 'reference', referenceImages: refs(5) }, veo)).toEqual([
      'Veo 3.1 (Gemini) takes at most 3 reference images; this shot has 5.',
    ]);
    const seed = model('ark:dreamina-seedance-2-0-260128');
    expect(validate({ ...base(seed.id), mode: 'reference', referenceImages: refs(9) }, seed)).toEqual([]);
    expect(validate({ ...base(seed.id), mode: 'reference', referenceImages: refs(10) }, seed)).toHaveLength(1);
    const gen4 = model('runway:gen4_turbo');
    expect(validate({ ...base(gen4.id), mode: 'image', firstFrame: { assetId: 'f' }, durationSec: 5, referenceImages: refs(1) }, gen4)).toContain(
      'Gen-4 Turbo (Runway) does not take reference images; remove the 1 assigned.',
    );
  });

  it('keeps frames and references apart where the provider says so', () => {
    const m = model('ark:dreamina-seedance-2-0-260128');
    const req: VideoJobRequest = {
      ...base(m.id),
      mode: 'image',
      firstFrame: { assetId: 'f' },
      referenceImages: [{ media: { assetId: 'r' } }],
    };
    expect(validate(req, m)).toEqual([
      'Seedance 2.0 (BytePlus) cannot combine start or end frames with references; use one or the other.',
    ]);
  });

  it('refuses end frames and reference videos the model cannot take', () => {
    const gen4 = model('runway:gen4.5');
    const req: VideoJobRequest = { ...base(gen4.id), mode: 'image', firstFrame: { assetId: 'a' }, lastFrame: { assetId: 'b' } };
    expect(validate(req, gen4)).toEqual(['Gen-4.5 (Runway) cannot use an end frame; remove it.']);
    const veo = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(veo.id), referenceVideos: [{ assetId: 't' }] }, veo)).toEqual([
      'Veo 3.1 (Gemini) does not take reference videos.',
    ]);
    expect(validate({ ...base(veo.id), mode: 'extend' }, veo)).toContain(
      'Extend mode needs a clip to continue from: select a take on the shot it continues.',
    );
  });

  it('refuses reference audio a model cannot take, or more than its limit', () => {
    const veo = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(veo.id), referenceAudios: [{ assetId: 'v' }] }, veo)).toEqual(['Veo 3.1 (Gemini) does not take reference audio.']);
    const seedance = model('ark:dreamina-seedance-2-0-260128');
    const four = ['a', 'b', 'c', 'd'].map((assetId) => ({ assetId }));
    expect(validate({ ...base(seedance.id), referenceAudios: four }, seedance)).toContain('Seedance 2.0 (BytePlus) takes at most 3 reference audio files; this shot has 4.');
    expect(validate({ ...base(seedance.id), referenceAudios: four.slice(0, 3) }, seedance)).toEqual([]);
  });

  it('explains allowed durations (list or range), aspect ratios and resolutions', () => {
    const veo = model('veo:veo-3.1-generate-preview');
    expect(validate({ ...base(veo.id), durationSec: 5, aspectRatio: '1:1' }, veo)).toEqual([
      'Veo 3.1 (Gemini) makes clips of 4, 6 or 8 seconds; this shot is 5 s.',
      'Veo 3.1 (Gemini) supports 16:9 and 9:16 frames; this board is 1:1.',
    ]);
    const ark = model('ark:seedance-1-0-pro-250528');
    expect(validate({ ...base(ark.id), durationSec: 15 }, ark)).toEqual([
      'Seedance 1.0 Pro (BytePlus) makes clips of whole seconds from 2 to 12; this shot is 15 s.',
    ]);
    // 2.5 s lies between 2 and 12, so the message names what is wrong: whole seconds only.
    expect(validate({ ...base(ark.id), durationSec: 2.5 }, ark)).toEqual([
      'Seedance 1.0 Pro (BytePlus) makes clips of whole seconds from 2 to 12; this shot is 2.5 s.',
    ]);
    const v2 = model('veo:veo-2.0-generate-001');
    expect(validate({ ...base(v2.id), resolution: '1080p' }, v2)).toEqual(['Veo 2 (Gemini) renders at 720p, not 1080p.']);
  });

  it('answers an unknown model through the adapter', () => {
    expect(all.get('fal')!.validate(base('fal:sora-2'))).toEqual(['The model "fal:sora-2" is not available here.']);
  });
});

describe('prices', () => {
  const perSecond = (id: string) => DEFAULT_PRICES[id] as PerSecondPrice;
  it('are dated and picked by audio and resolution', () => {
    const fast = perSecond('veo:veo-3.1-fast-generate-preview');
    expect(fast.asOf).toBe('2026-05');
    expect(pricePerSecond(fast, { resolution: '720p' })).toBe(100_000);
    expect(pricePerSecond(fast, { resolution: '1080p' })).toBe(120_000);
    const falVeo = perSecond('fal:veo3.1');
    expect(pricePerSecond(falVeo, {})).toBe(400_000);
    expect(pricePerSecond(falVeo, { generateAudio: false })).toBe(200_000);
  });

  it('are whole micro-dollars, every rate of every entry', () => {
    for (const [id, e] of Object.entries(DEFAULT_PRICES)) {
      const rates =
        e.formula === 'tokens' ? [e.microUsdPerMillionTokens, e.videoInputMicroUsdPerMillionTokens]
        : e.formula === 'credits' ? [e.microUsdPerCredit]
        : e.formula === 'per_clip' ? [...Object.values(e.microUsdByDuration), ...Object.values(e.audioMicroUsdByDuration ?? {})]
        : [e.microUsdPerSecond, e.audioMicroUsdPerSecond, ...Object.values(e.byResolution ?? {})];
      for (const rate of rates) if (rate !== undefined) expect(Number.isSafeInteger(rate) && rate >= 0, `${id}: ${rate}`).toBe(true);
    }
  });

  it('estimate cost exactly in micro-dollars, and say so when no price is known', () => {
    const job = { aspectRatio: '16:9', inputVideos: [], referenceImages: 0 };
    // 0.3024 * 5 in float dollars is 1.5119999999999998; in micro-dollars it is exactly 1512000.
    expect(estimatePrice(DEFAULT_PRICES, { ...job, model: 'fal:seedance-2.0', durationSec: 5 })).toMatchObject({ known: true, totalMicroUsd: 1_512_000 });
    expect(estimatePrice(DEFAULT_PRICES, { ...job, model: 'fal:seedance-2.0', durationSec: 7 })).toMatchObject({ known: true, totalMicroUsd: 2_116_800 });
    expect(estimatePrice(DEFAULT_PRICES, { ...job, model: 'kling:kling-v2-6', durationSec: 5 })).toMatchObject({ known: false });
  });

  it('can be overridden by config, which the listed models reflect', () => {
    const overrides = { 'kling:kling-v2-6': { microUsdPerSecond: 90_000, asOf: '2026-09' } };
    expect(mergePrices(DEFAULT_PRICES, overrides)['kling:kling-v2-6']).toEqual(overrides['kling:kling-v2-6']);
    const reg = createProviders({ KLING_ACCESS_KEY: 'a', KLING_SECRET_KEY: 'b' }, { prices: overrides });
    expect(reg.forModel('kling:kling-v2-6')?.model).toMatchObject({ microUsdPerSecond: 90_000, priceAsOf: '2026-09', price: overrides['kling:kling-v2-6'] });
    expect(model('runway:gen4_turbo')).toMatchObject({ microUsdPerSecond: 50_000, priceAsOf: '2026' });
  });
});

describe('durationProblem: the words next to a duration field', () => {
  const seedance = model('ark:dreamina-seedance-2-0-260128');
  const veo = model('veo:veo-3.1-generate-preview');
  it('names the model and its allowed values, never developer wording', () => {
    expect(durationProblem(30, seedance)).toBe('Seedance 2.0 (BytePlus): 4-15 s');
    expect(durationProblem(2.5, seedance)).toBe('Seedance 2.0 (BytePlus): whole seconds, 4-15 s');
    expect(durationProblem(NaN, seedance)).toBe('Seedance 2.0 (BytePlus): 4-15 s');
    expect(durationProblem(5, veo)).toBe('Veo 3.1 (Gemini): 4, 6 or 8 s');
    expect(durationProblem(8, veo)).toBeUndefined();
    expect(durationProblem(15, seedance)).toBeUndefined();
  });
  it('without a known model, the board’s own limit', () => {
    expect(durationProblem(2.5, undefined)).toBeUndefined();
    expect(durationProblem(0, undefined)).toBe('Duration: more than 0 s, up to 60 s');
    expect(durationProblem(90, undefined)).toBe('Duration: more than 0 s, up to 60 s');
  });
});
