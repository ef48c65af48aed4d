/**
 * Seedance models on BytePlus ModelArk (docs/providers.md "BytePlus ModelArk"). Data, not code: models retire often.
 * Capabilities the vendor does not state are kept conservative.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec, Resolution } from '../../../shared/generation/types.js';

const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'] as const;
const RES: readonly Resolution[] = ['480p', '720p', '1080p'];
const V1 = { kind: 'range', min: 2, max: 12 } as const;

const base = {
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  maxAudioRefs: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: V1,
  aspectRatios: RATIOS,
  resolutions: RES,
  supportsSeed: true,
  supportsAudio: false,
} satisfies Partial<ModelSpec>;

/** Seedance 2.0 variants: standard and fast (ids 2026-12), mini (its id UNVERIFIED: docs/providers.md). */
const SEEDANCE_2 = [
  ['dreamina-seedance-2-0-260128', 'Seedance 2.0 (BytePlus)'],
  ['dreamina-seedance-2-0-fast-260128', 'Seedance 2.0 Fast (BytePlus)'],
  ['dreamina-seedance-2-0-mini-260128', 'Seedance 2.0 Mini (BytePlus, id unverified)'],
] as const;

export const ARK_MODELS: readonly ModelSpec[] = [
  { ...base, id: 'ark:seedance-1-0-pro-250528', label: 'Seedance 1.0 Pro (BytePlus)', modes: ['text', 'image'] },
  { ...base, id: 'ark:seedance-1-0-pro-fast-251015', label: 'Seedance 1.0 Pro Fast (BytePlus)', modes: ['text', 'image'] },
  { ...base, id: 'ark:seedance-1-0-lite-t2v-250428', label: 'Seedance 1.0 Lite T2V (BytePlus)', modes: ['text'] },
  {
    ...base,
    id: 'ark:seedance-1-0-lite-i2v-250428',
    label: 'Seedance 1.0 Lite I2V (BytePlus)',
    modes: ['image'],
    supportsLastFrame: true,
  },
  {
    ...base,
    id: 'ark:seedance-1-5-pro-251215',
    label: 'Seedance 1.5 Pro (BytePlus)',
    modes: ['text', 'image'],
    supportsLastFrame: true,
    supportsAudio: true,
  },
  ...SEEDANCE_2.map(([name, label]) => ({
    ...base,
    id: `ark:${name}`,
    label,
    modes: ['text', 'image', 'reference', 'extend'] as const,
    maxReferenceImages: 9,
    acceptsReferenceVideo: true,
    maxReferenceVideos: 3,
    maxAudioRefs: 3,
    promptTags: 'seedance' as const,
    supportsLastFrame: true,
    durations: { kind: 'range', min: 4, max: 15 } as const,
    supportsAudio: true,
  })),
];

/** Volcengine spells the same models `doubao-…` (and drops `dreamina-`). */
export function volcengineModelName(name: string): string {
  return `doubao-${name.replace(/^dreamina-/, '')}`;
}

/**
 * Dated prices (docs/providers.md "Prices"); deployments override them through the registry.
 * Seedance 2.0 is billed by tokens: (input video seconds + output seconds) x width x height x fps
 * / 1024 at 24 fps, a lower rate per token when a video is input, with a minimum charge then. The
 * rates are Volcengine's list prices in yuan (published 2026-03-04: 46 and 28 per million tokens,
 * fast 37 and 22) at 7 yuan to the dollar, as a reseller's billing guide (2026-06-18) quoted them;
 * BytePlus's own dollar rate was not confirmed, so they are UNVERIFIED. The same guide's two billed
 * tasks (720p, 4 s) counted 87,300 and 173,700 tokens: 97 and 193 frames, one frame more than
 * seconds x 24, hence `extraFrames: 1`. The minimum is read from a reseller's minimum-charge table
 * (2026-12): about the price of an input as long as the output (UNVERIFIED). Mini has no published rate.
 */
const seedance2 = {
  formula: 'tokens',
  fps: 24,
  extraFrames: 1,
  minInputSecondsPerOutputSecond: 1,
  asOf: '2026-06',
  source: "Volcengine list price (2026-03-04) at 7 CNY/USD, quoted in a reseller's Seedance 2.0 billing guide",
  unverified: true,
} as const;

export const ARK_PRICES: PriceTable = {
  'ark:dreamina-seedance-2-0-260128': { ...seedance2, microUsdPerMillionTokens: 6_571_429, videoInputMicroUsdPerMillionTokens: 4_000_000 },
  'ark:dreamina-seedance-2-0-fast-260128': { ...seedance2, microUsdPerMillionTokens: 5_285_714, videoInputMicroUsdPerMillionTokens: 3_142_857 },
  'ark:seedance-1-5-pro-251215': {
    microUsdPerSecond: 26_000,
    audioMicroUsdPerSecond: 52_000,
    asOf: '2026-08',
    source: 'vendor price page, approximate per-second figures',
    unverified: true,
    note: '720p, approximate',
  },
  'ark:seedance-1-0-pro-250528': {
    microUsdPerSecond: 54_000,
    byResolution: { '1080p': 120_000 },
    asOf: '2026-08',
    source: 'vendor price page, approximate per-second figures',
    unverified: true,
    note: '720p / 1080p, approximate',
  },
};
