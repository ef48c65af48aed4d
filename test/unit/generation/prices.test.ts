/**
 * Every price formula against worked examples. Each example names where its figures come from
 * (date and page, in words); docs/providers.md "Prices" lists the same sources and marks the
 * unverified ones.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../../server/generation/providers/registry.js';
import { describePrice, estimatePrice, type PriceEstimate, type PriceInput } from '../../../shared/generation/prices.js';

const job = (model: string, durationSec: number, extra: Partial<PriceInput> = {}): PriceInput => ({
  model, durationSec, aspectRatio: '16:9', resolution: '720p', inputVideos: [], referenceImages: 0, ...extra,
});
const tail = (seconds: number) => ({ what: 'tail' as const, label: 'chained tail', seconds });
const known = (e: PriceEstimate) => {
  if (!e.known) throw new Error(`expected a price, got: ${e.reason}`);
  return e;
};
const price = (input: PriceInput, usage = {}) => known(estimatePrice(DEFAULT_PRICES, input, usage));
const sumOfParts = (e: PriceEstimate & { known: true }) => e.parts.reduce((s, p) => s + p.microUsd, 0);

describe('Seedance 2.0 on BytePlus: tokens = (input video s + output s) x width x height x fps / 1024', () => {
  const standard = 'ark:dreamina-seedance-2-0-260128';
  const fast = 'ark:dreamina-seedance-2-0-fast-260128';

  it('prices a 4 s 720p text-to-video task as the provider counted it', () => {
    // Source: a reseller's Seedance 2.0 billing guide, 2026-06-18, first measured task: 720p, 4 s,
    // no video input, completion_tokens = 87,300 (1280 x 720 x 97 frames / 1024). Rate: Volcengine's
    // 46 CNY per million tokens (list price of 2026-03-04) at 7 CNY/USD = $6.571429/M.
    const e = price(job(standard, 4));
    expect(e).toMatchObject({ formula: 'tokens', unverified: true });
    expect(e.parts).toEqual([expect.objectContaining({ kind: 'output', tokens: 87_300 })]);
    expect(e.totalMicroUsd).toBe(573_686); // 87,300 x 6.571429 = 573,685.75 micro-dollars, rounded once
  });

  it('counts the input video seconds at the video-input rate', () => {
    // Same guide, second task: 720p, 4 s output with a 4 s reference video: 173,700 tokens
    // (97 + 96 frames). Rate with video input: 28 CNY/M at 7 CNY/USD = $4/M.
    const e = price(job(standard, 4, { inputVideos: [{ what: 'reference', label: "clip 'Motion'", seconds: 4 }] }));
    expect(e.parts.map((p) => [p.kind, p.tokens])).toEqual([['output', 87_300], ['input_video', 86_400]]);
    expect(e.totalMicroUsd).toBe(694_800); // 173,700 x $4/M
    expect(sumOfParts(e)).toBe(e.totalMicroUsd);
  });

  it('charges the minimum when a short video is input', () => {
    // Source: a reseller's Seedance 2.0 page, 2026-12: "a 2 s input video and a 4 s output fall
    // under the minimum charge"; its minimum table is about the price of an input as long as the
    // output (UNVERIFIED). 2 s in + 4 s out = 130,500 tokens; the minimum is 173,700.
    const e = price(job(standard, 4, { inputVideos: [tail(2)] }));
    expect(e.parts.map((p) => [p.kind, p.tokens])).toEqual([['output', 87_300], ['input_video', 43_200], ['minimum', 43_200]]);
    expect(e.totalMicroUsd).toBe(694_800);
  });

  it('prices a longer chained tail higher once it passes the minimum', () => {
    const byTail = [3, 5, 6, 7].map((s) => price(job(standard, 5, { inputVideos: [tail(s)] })).totalMicroUsd);
    // 5 s out: the minimum is 10 s worth (216,900 tokens = $0.8676) until the tail passes 5 s.
    expect(byTail).toEqual([867_600, 867_600, 954_000, 1_040_400]);
  });

  it('prices the fast variant at its own rates, and mini not at all (no rate published)', () => {
    // Rates: 37 and 22 CNY/M (Volcengine list price, 2026-03-04) at 7 CNY/USD.
    expect(price(job(fast, 4)).totalMicroUsd).toBe(461_443); // 87,300 x 5.285714
    expect(price(job(fast, 4, { inputVideos: [tail(4)] })).totalMicroUsd).toBe(545_914); // 173,700 x 3.142857 = 545,914.26
    expect(estimatePrice(DEFAULT_PRICES, job('ark:dreamina-seedance-2-0-mini-260128', 4))).toMatchObject({ known: false, reason: expect.stringMatching(/has no rate for this model/) });
  });

  it('after the take, prices the tokens the provider reported', () => {
    const e = price(job(standard, 4), { tokens: 108_900 });
    expect(e.parts.at(-1)).toMatchObject({ label: 'counted by the provider: +21600 tokens', tokens: 21_600 });
    expect(e.totalMicroUsd).toBe(715_629); // 108,900 x 6.571429
  });

  it('cannot count tokens for a ratio without a known frame size, and says so', () => {
    expect(estimatePrice(DEFAULT_PRICES, job(standard, 4, { aspectRatio: '2.39:1' }))).toMatchObject({ known: false, reason: expect.stringMatching(/frame size/) });
  });
});

describe('per second, with the video-input factor where a reseller charges that way', () => {
  it('fal Seedance 2.0: $0.3024/s at 720p, x0.6 when a video is input', () => {
    // Source: fal's Seedance 2.0 page, 2026-08 ($0.3024 per output second at 720p; x0.6 with video input, UNVERIFIED since).
    expect(price(job('fal:seedance-2.0', 5)).totalMicroUsd).toBe(1_512_000);
    const chained = price(job('fal:seedance-2.0', 5, { inputVideos: [tail(3)] }));
    expect(chained.totalMicroUsd).toBe(907_200); // 0.3024 x 0.6 x 5
    expect(chained.parts.map((p) => [p.kind, p.microUsd])).toEqual([['output', 907_200], ['input_video', 0]]);
    // 480p from a listing of fal's endpoints (2026-05-28): $0.1412/s.
    expect(price(job('fal:seedance-2.0', 10, { resolution: '480p' })).totalMicroUsd).toBe(1_412_000);
  });

  it('Veo on Gemini by variant: 3.1, 3.1 Fast by resolution, 3.1 Lite', () => {
    // Sources: Gemini API price page, 2026-05 (3.1 $0.40/s; Fast $0.10/s 720p, $0.12/s 1080p);
    // a third-party listing of the Gemini prices, 2026-12 (Lite $0.05/s 720p, $0.08/s 1080p, UNVERIFIED).
    expect(price(job('veo:veo-3.1-generate-preview', 8)).totalMicroUsd).toBe(3_200_000);
    expect(price(job('veo:veo-3.1-fast-generate-preview', 8, { resolution: '1080p' })).totalMicroUsd).toBe(960_000);
    expect(price(job('veo:veo-3.1-lite-generate-preview', 8)).totalMicroUsd).toBe(400_000);
    expect(price(job('veo:veo-3.1-lite-generate-preview', 8, { resolution: '1080p' }))).toMatchObject({ totalMicroUsd: 640_000, unverified: true });
  });

  it('fal Veo 3.1 costs half without audio', () => {
    // Source: fal's Veo 3.1 page, 2026-08: $0.20/s silent, $0.40/s with audio.
    expect(price(job('fal:veo3.1', 8)).totalMicroUsd).toBe(3_200_000);
    expect(price(job('fal:veo3.1', 8, { generateAudio: false })).totalMicroUsd).toBe(1_600_000);
  });
});

describe('Runway: credits per second, a credit $0.01', () => {
  it('prices gen4.5 and Veo 3.1 (with and without audio) in credits', () => {
    // Sources: Runway API docs, 2026 (1 credit = $0.01; gen4.5 12 credits/s, gen4_turbo 5); a 2026
    // reference of Runway's credit costs (veo3.1 40 credits/s with audio, 20 without; UNVERIFIED).
    expect(price(job('runway:gen4.5', 5)).parts[0]).toMatchObject({ credits: 60, microUsd: 600_000 });
    expect(price(job('runway:gen4_turbo', 10)).totalMicroUsd).toBe(500_000);
    expect(price(job('runway:veo3.1', 8))).toMatchObject({ totalMicroUsd: 3_200_000, unverified: true });
    expect(price(job('runway:veo3.1', 8, { generateAudio: false })).parts[0]).toMatchObject({ credits: 160, microUsd: 1_600_000 });
  });
});

describe('Kling: a price per clip', () => {
  it('prices 2.5 Turbo and 3.0 Omni per clip, and never guesses a length it has no price for', () => {
    // Sources: Kling's developer price list, 2026-08 (2.5 Turbo $0.35 per 5 s clip, UNVERIFIED);
    // a reseller's fixed Kling 3.0 prices, 2026-12 ($0.1764/s silent, $0.2646/s with audio), applied per clip to 3.0 Omni (UNVERIFIED).
    expect(price(job('kling:kling-v2-5-turbo', 10)).totalMicroUsd).toBe(700_000);
    expect(price(job('kling:kling-v3-omni', 5))).toMatchObject({ formula: 'per_clip', totalMicroUsd: 1_323_000, unverified: true });
    expect(price(job('kling:kling-v3-omni', 5, { generateAudio: false })).totalMicroUsd).toBe(882_000);
    expect(estimatePrice(DEFAULT_PRICES, job('kling:kling-v3-omni', 7))).toMatchObject({ known: false, reason: expect.stringMatching(/7 s clip/) });
    expect(estimatePrice(DEFAULT_PRICES, job('kling:kling-v2-1-master', 5))).toMatchObject({ known: false });
  });
});

describe('every estimate', () => {
  it('adds its parts up to its total, and lists references and input videos even when they cost nothing', () => {
    const withEverything = { inputVideos: [tail(3)], referenceImages: 2 };
    for (const model of Object.keys(DEFAULT_PRICES)) {
      const e = estimatePrice(DEFAULT_PRICES, job(model, 5, withEverything));
      if (!e.known) continue;
      expect(sumOfParts(e), model).toBe(e.totalMicroUsd);
      expect(e.parts.some((p) => p.kind === 'references'), model).toBe(true);
      expect(e.parts.some((p) => p.kind === 'input_video'), model).toBe(true);
    }
  });

  it('states its rate and date in words, unverified ones marked', () => {
    expect(describePrice(DEFAULT_PRICES['ark:dreamina-seedance-2-0-260128']!)).toBe('$6.571429 per million tokens, $4.00 with video input (2026-06, unverified)');
    expect(describePrice(DEFAULT_PRICES['runway:gen4.5']!)).toBe('12 credits/s, a credit $0.01 (2026)');
  });
});
