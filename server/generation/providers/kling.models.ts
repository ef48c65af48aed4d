/**
 * Official Kling API models (docs/providers.md "Kling (official API)"). Kling 1.5-2.1 reach end of life 2026-09-15.
 * End-frame and multi-image support per model are not in the vendor notes (UNVERIFIED, docs/providers.md "Kling (official API)"): kept to newer models.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';

const base = {
  modes: ['text', 'image'],
  maxReferenceImages: 0,
  acceptsReferenceVideo: false,
  maxReferenceVideos: 0,
  maxAudioRefs: 0,
  supportsLastFrame: false,
  framesExcludeReferences: true,
  durations: { kind: 'list', values: [5, 10] },
  aspectRatios: ['16:9', '9:16', '1:1'],
  resolutions: ['720p', '1080p'],
  supportsSeed: false,
  supportsAudio: false,
} satisfies Partial<ModelSpec>;

const withRefs = {
  modes: ['text', 'image', 'reference'],
  maxReferenceImages: 4,
  supportsLastFrame: true,
  supportsAudio: true,
} satisfies Partial<ModelSpec>;

/** A Kling model; `omni` ones are sent to Omni's own endpoint (`kling-omni.ts`). */
export type KlingModelSpec = ModelSpec & { omni?: true };

export const KLING_MODELS: readonly KlingModelSpec[] = [
  { ...base, id: 'kling:kling-v2-1-master', label: 'Kling 2.1 Master', retiresOn: '2026-09-15' },
  { ...base, id: 'kling:kling-v2-5-turbo', label: 'Kling 2.5 Turbo', supportsLastFrame: true },
  { ...base, ...withRefs, id: 'kling:kling-v2-6', label: 'Kling 2.6' },
  { ...base, ...withRefs, id: 'kling:kling-v3', label: 'Kling 3' },
  // Kling 3.0 Omni (2026-12 facts, third-party pages): 7 shared slots for images and elements, and one
  // reference video of 3-10 s (`video_list`): a chained shot sends its tail there (native
  // continuation), and then Omni makes no sound. The model name is UNVERIFIED.
  {
    ...base,
    ...withRefs,
    id: 'kling:kling-v3-omni',
    label: 'Kling 3.0 Omni (name unverified)',
    maxReferenceImages: 7,
    acceptsReferenceVideo: true,
    maxReferenceVideos: 1,
    referenceVideoSilences: true,
    omni: true,
    promptTags: 'kling',
  },
];

/**
 * Kling bills per clip. No official per-clip dollar figure was confirmed for 2026-12, so every
 * figure here is UNVERIFIED: 2.5 Turbo $0.35 / $0.70 for 5 / 10 s (Kling's developer price list,
 * 2026-08, not re-checked); 3 and 3.0 Omni from a reseller's fixed Kling 3.0 prices (2026-12: $0.1764/s
 * silent, $0.2646/s with audio, std mode) times the clip length. Kling 2.1 Master (retired
 * 2026-09-15) and 2.6 have none: their estimate says "no price known".
 */
const perClip = (silent5: number, audio5?: number) => ({
  formula: 'per_clip' as const,
  microUsdByDuration: { '5': silent5, '10': silent5 * 2 },
  ...(audio5 !== undefined ? { audioMicroUsdByDuration: { '5': audio5, '10': audio5 * 2 } } : {}),
  unverified: true,
});

export const KLING_PRICES: PriceTable = {
  'kling:kling-v2-5-turbo': { ...perClip(350_000), asOf: '2026-08', source: "Kling's developer price list" },
  'kling:kling-v3': { ...perClip(882_000, 1_323_000), asOf: '2026-12', source: "a reseller's fixed Kling 3.0 prices (std mode)" },
  'kling:kling-v3-omni': { ...perClip(882_000, 1_323_000), asOf: '2026-12', source: "a reseller's fixed Kling 3.0 prices (std mode), applied to Omni" },
};
